/**
 * The DNS interface (issue 12, docs/dns.md): every agent with the {@code dns} role answers DNS for
 * the catalogue and the members from its own replica, over UDP and TCP, on its own event loop.
 *
 * <p>Bytes are decoded once, at the edge ({@link io.hivemind.server.dns.DnsWire}, on Netty's DNS
 * codec: docs/adr/0005-dns-library.md), into a {@link io.hivemind.server.dns.DnsQuery}; the
 * answering logic ({@link io.hivemind.server.dns.DnsAnswerer}) works on our own records and opens
 * no socket. Nothing outside this package imports it, so an agent without the role loads none of it
 * but {@link io.hivemind.server.dns.DnsRoleProvider}.
 */
package io.hivemind.server.dns;
