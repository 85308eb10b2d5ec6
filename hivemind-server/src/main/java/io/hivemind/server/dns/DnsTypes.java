package io.hivemind.server.dns;

/** The record types, classes and response codes the interface speaks (RFC 1035 3.2.2, 4.1.1). */
final class DnsTypes {

  static final int A = 1;
  static final int NS = 2;
  static final int SOA = 6;
  static final int PTR = 12;
  static final int AAAA = 28;
  static final int SRV = 33;
  static final int OPT = 41;
  static final int ANY = 255;

  static final int CLASS_IN = 1;
  static final int CLASS_ANY = 255;

  static final int NOERROR = 0;
  static final int FORMERR = 1;
  static final int SERVFAIL = 2;
  static final int NXDOMAIN = 3;
  static final int NOTIMP = 4;
  static final int REFUSED = 5;

  private DnsTypes() {}

  /** The rcode's name as metrics and logs show it. */
  static String rcodeName(int rcode) {
    return switch (rcode) {
      case NOERROR -> "noerror";
      case FORMERR -> "formerr";
      case SERVFAIL -> "servfail";
      case NXDOMAIN -> "nxdomain";
      case NOTIMP -> "notimp";
      case REFUSED -> "refused";
      default -> "rcode" + rcode;
    };
  }
}
