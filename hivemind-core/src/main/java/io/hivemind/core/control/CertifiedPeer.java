package io.hivemind.core.control;

import java.util.Objects;

/**
 * Who is at the other end of a mutual-TLS connection, as its certificate says.
 *
 * @param name the node its certificate names (its subject's common name), "" when it names none
 * @param control whether the certificate is a control node's ({@code OU=control}, written by {@code
 *     hivemind tls cert create --control})
 */
public record CertifiedPeer(String name, boolean control) {

  public CertifiedPeer {
    Objects.requireNonNull(name, "name");
  }
}
