package io.hivemind.server.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The DNS message format (RFC 1035 4.1), at the edge: a query's bytes to a checked {@link
 * DnsQuery}, and a {@link DnsAnswer} to a response's bytes within a size limit.
 *
 * <p>Names are decoded by Netty's codec ({@link DnsRecordDecoder}: bounds, compression pointers and
 * their loops); everything is bounded before it is read and any failure is a {@link DnsRejection},
 * never an exception escaping to the event loop. Responses are written here, record by record, so
 * that one that does not fit stops the answer at the last whole record and sets TC (RFC 2181 9),
 * which Netty's encoder cannot do. The only compression is an owner name equal to the question's,
 * written as a pointer to it; other names are written whole (docs/adr/0005-dns-library.md).
 */
final class DnsWire {

  static final int HEADER_BYTES = 12;

  /** The classic UDP limit, for requesters without EDNS0 (RFC 1035 4.2.1). */
  static final int CLASSIC_UDP_BYTES = 512;

  /**
   * The most we answer in one datagram, whatever the requester offers: 1232 bytes fit the IPv6
   * minimum MTU without fragmentation (DNS flag day 2020); larger answers go over TCP.
   */
  static final int MAX_UDP_BYTES = 1232;

  /** A TCP message's length field is 16 bits (RFC 1035 4.2.2). */
  static final int MAX_TCP_BYTES = 65_535;

  static final int MAX_NAME_BYTES = 255;
  static final int MAX_LABEL_BYTES = 63;

  /** An OPT record without options: root name, type, class, TTL, RDLENGTH (RFC 6891 6.1.2). */
  private static final int OPT_BYTES = 11;

  /** A compression pointer to offset 12, where the question's name starts. */
  private static final int QUESTION_POINTER = 0xC000 | HEADER_BYTES;

  private static final int FLAG_QR = 0x8000;
  private static final int FLAG_AA = 0x0400;
  private static final int FLAG_TC = 0x0200;
  private static final int FLAG_RD = 0x0100;

  private DnsWire() {}

  /**
   * Decodes one query message; {@code in}'s reader index moves, its reference count does not.
   *
   * @throws DnsRejection for anything but one well-formed standard query
   */
  static DnsQuery decode(ByteBuf in) throws DnsRejection {
    if (in.readableBytes() < HEADER_BYTES) {
      throw new DnsRejection(DnsRejection.Reason.SHORT, -1, in.readableBytes() + " bytes");
    }
    int id = in.readUnsignedShort();
    int flags = in.readUnsignedShort();
    if ((flags & FLAG_QR) != 0) {
      throw new DnsRejection(DnsRejection.Reason.NOT_A_QUERY, -1, "a response");
    }
    int opcode = (flags >> 11) & 0xF;
    if (opcode != 0) {
      throw new DnsRejection(DnsRejection.Reason.OPCODE, id, "opcode " + opcode);
    }
    int questions = in.readUnsignedShort();
    int answers = in.readUnsignedShort();
    int authorities = in.readUnsignedShort();
    int additionals = in.readUnsignedShort();
    // One question (every resolver sends one, RFC 9619); answers and authorities belong to other
    // opcodes; the one additional record a query may carry is OPT.
    if (questions != 1 || answers != 0 || authorities != 0 || additionals > 1) {
      throw malformed(
          id, "counts " + questions + "/" + answers + "/" + authorities + "/" + additionals);
    }
    DnsQuestion question = question(in, id);
    try {
      int payload = additionals == 1 ? optPayload(in, id) : 0;
      boolean rd = (flags & FLAG_RD) != 0;
      return new DnsQuery(
          id, rd, question.name(), question.type().intValue(), question.dnsClass(), payload);
    } finally {
      ReferenceCountUtil.release(question);
    }
  }

  private static DnsQuestion question(ByteBuf in, int id) throws DnsRejection {
    DnsQuestion question;
    try {
      question = DnsRecordDecoder.DEFAULT.decodeQuestion(in);
    } catch (Exception e) { // the codec's checks: truncated names, pointer loops, bad lengths
      throw malformed(id, "question: " + e.getMessage());
    }
    if (question.name().length() > MAX_NAME_BYTES + 1) {
      ReferenceCountUtil.release(question);
      throw malformed(id, "a name over " + MAX_NAME_BYTES + " bytes");
    }
    return question;
  }

  /** The requester's UDP payload size from its OPT record (RFC 6891 6.1.2: the class field). */
  private static int optPayload(ByteBuf in, int id) throws DnsRejection {
    DnsRecord record;
    try {
      record = DnsRecordDecoder.DEFAULT.decodeRecord(in);
    } catch (Exception e) {
      throw malformed(id, "additional record: " + e.getMessage());
    }
    if (record == null) {
      throw malformed(id, "a truncated additional record");
    }
    try {
      if (record.type() != DnsRecordType.OPT) {
        throw malformed(id, "an additional record of type " + record.type());
      }
      // Payload sizes under 512 are read as 512 (RFC 6891 6.2.5).
      return Math.max(CLASSIC_UDP_BYTES, record.dnsClass());
    } finally {
      ReferenceCountUtil.release(record);
    }
  }

  private static DnsRejection malformed(int id, String why) {
    return new DnsRejection(DnsRejection.Reason.MALFORMED, id, why);
  }

  /** The largest UDP response {@code query} may get: its EDNS0 size, capped; 512 without. */
  static int udpLimit(DnsQuery query) {
    return query.hasEdns() ? Math.min(query.udpPayloadSize(), MAX_UDP_BYTES) : CLASSIC_UDP_BYTES;
  }

  /** Outcome of {@link #encode}: the message, and whether it was cut to fit (TC set). */
  record Encoded(ByteBuf message, boolean truncated) {}

  /**
   * Encodes the response to {@code query} in at most {@code limit} bytes: the question echoed, then
   * answer and authority records while they fit (else TC), additional ones while they fit (left out
   * silently, RFC 2181 9), and an OPT record when the query had one (RFC 6891 7).
   */
  static Encoded encode(DnsQuery query, DnsAnswer answer, int limit, ByteBufAllocator alloc) {
    // Heap: the agent runs Netty unpooled, where a direct buffer per answer is costly; the UDP
    // channel copies it through a thread-local direct buffer.
    ByteBuf out = alloc.heapBuffer(Math.min(limit, 1024));
    out.writeZero(HEADER_BYTES);
    writeName(query.name(), out);
    out.writeShort(query.type());
    out.writeShort(query.dnsClass());
    int room = limit - (query.hasEdns() ? OPT_BYTES : 0);
    String question = query.name();
    int answers = writeRecords(answer.answers(), question, out, room);
    int authorities =
        answers == answer.answers().size()
            ? writeRecords(answer.authority(), question, out, room)
            : 0;
    boolean truncated =
        answers < answer.answers().size() || authorities < answer.authority().size();
    int additionals = truncated ? 0 : writeRecords(answer.additional(), question, out, room);
    if (query.hasEdns()) {
      writeOpt(out);
      additionals++;
    }
    int flags = FLAG_QR | FLAG_AA | (truncated ? FLAG_TC : 0) | (answer.rcode() & 0xF);
    flags |= query.recursionDesired() ? FLAG_RD : 0;
    writeHeader(out, query.id(), flags, 1, answers, authorities, additionals);
    return new Encoded(out, truncated);
  }

  /** A response with no records, not even the question: the answer to a malformed query. */
  static ByteBuf encodeBare(int id, int rcode, ByteBufAllocator alloc) {
    ByteBuf out = alloc.heapBuffer(HEADER_BYTES);
    out.writeZero(HEADER_BYTES);
    writeHeader(out, id, FLAG_QR | (rcode & 0xF), 0, 0, 0, 0);
    return out;
  }

  // Justification: the header's six fields.
  private static void writeHeader(ByteBuf out, int id, int flags, int qd, int an, int ns, int ar) {
    out.setShort(0, id);
    out.setShort(2, flags);
    out.setShort(4, qd);
    out.setShort(6, an);
    out.setShort(8, ns);
    out.setShort(10, ar);
  }

  /** Writes records while each fits in {@code limit}; returns how many were written. */
  private static int writeRecords(
      List<ResourceRecord> records, String question, ByteBuf out, int limit) {
    int written = 0;
    for (ResourceRecord record : records) {
      int mark = out.writerIndex();
      writeRecord(record, question, out);
      if (out.writerIndex() > limit) {
        out.writerIndex(mark);
        break;
      }
      written++;
    }
    return written;
  }

  /**
   * An owner name equal to the question's (every answer to a service or node name) is written as a
   * pointer to the question (RFC 1035 4.1.4): 2 bytes instead of the whole name on every record.
   */
  private static void writeRecord(ResourceRecord record, String question, ByteBuf out) {
    if (record.name().equals(question)) {
      out.writeShort(QUESTION_POINTER);
    } else {
      writeName(record.name(), out);
    }
    out.writeShort(record.type());
    out.writeShort(DnsTypes.CLASS_IN);
    out.writeInt((int) record.ttlSeconds());
    int lengthAt = out.writerIndex();
    out.writeShort(0);
    writeData(record.data(), out);
    out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
  }

  private static void writeData(Rdata data, ByteBuf out) {
    if (data instanceof Rdata.Address address) {
      out.writeBytes(address.address().getAddress());
    } else if (data instanceof Rdata.Srv srv) {
      out.writeShort(srv.priority());
      out.writeShort(srv.weight());
      out.writeShort(srv.port());
      writeName(srv.target(), out);
    } else if (data instanceof Rdata.Ptr ptr) {
      writeName(ptr.target(), out);
    } else if (data instanceof Rdata.Soa soa) {
      writeName(soa.mname(), out);
      writeName(soa.rname(), out);
      out.writeInt((int) soa.serial());
      out.writeInt(soa.refresh());
      out.writeInt(soa.retry());
      out.writeInt(soa.expire());
      out.writeInt((int) soa.minimum());
    }
  }

  /** An OPT record offering our own UDP limit, no extended rcode, version 0, no options. */
  private static void writeOpt(ByteBuf out) {
    out.writeByte(0);
    out.writeShort(DnsTypes.OPT);
    out.writeShort(MAX_UDP_BYTES);
    out.writeInt(0);
    out.writeShort(0);
  }

  /**
   * Writes {@code name} as labels (RFC 1035 3.1). Names reaching here were decoded by the codec or
   * checked by {@link #isWritableName}; a label is cut at 63 bytes rather than corrupt the message.
   */
  static void writeName(String name, ByteBuf out) {
    int start = 0;
    while (start < name.length()) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? name.length() : dot;
      if (end > start) {
        writeLabel(name, start, end, out);
      }
      start = end + 1;
    }
    out.writeByte(0);
  }

  private static void writeLabel(String name, int start, int end, ByteBuf out) {
    int lengthAt = out.writerIndex();
    out.writeByte(0);
    // ASCII, as every name the answerer builds: one byte a char, no encoder.
    int written =
        isAscii(name, start, end)
            ? out.writeCharSequence(name.subSequence(start, end), StandardCharsets.US_ASCII)
            : out.writeCharSequence(name.subSequence(start, end), StandardCharsets.UTF_8);
    if (written > MAX_LABEL_BYTES) {
      out.writerIndex(lengthAt + 1 + MAX_LABEL_BYTES);
      written = MAX_LABEL_BYTES;
    }
    out.setByte(lengthAt, written);
  }

  private static boolean isAscii(String name, int start, int end) {
    for (int i = start; i < end; i++) {
      if (name.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code name} is labels of 1–63 bytes, 255 bytes in all, as it would be written. */
  static boolean isWritableName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME_BYTES - 1) {
      return false;
    }
    int label = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '.') {
        if (label == 0 && i != bytes.length - 1) {
          return false;
        }
        label = 0;
      } else if (++label > MAX_LABEL_BYTES) {
        return false;
      }
    }
    return true;
  }
}
