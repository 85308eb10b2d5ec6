/**
 * The cluster's certificate authority and the files of mutual TLS: creating a CA and node
 * certificates with BouncyCastle ({@link io.hivemind.server.tls.CertificateAuthority}), writing and
 * reading them as PEM ({@link io.hivemind.server.tls.PemFiles}), and checking that a node's three
 * files belong together before anything listens ({@link io.hivemind.server.tls.TlsMaterial}).
 *
 * <p>No Netty and no Ratis here: the Netty side ({@code server.transport.MutualTls}) and the
 * control plane's gRPC side both start from the same {@link io.hivemind.server.tls.TlsFiles}, so
 * both ends of every link check the same CA. docs/security.md, "Mutual TLS".
 */
package io.hivemind.server.tls;
