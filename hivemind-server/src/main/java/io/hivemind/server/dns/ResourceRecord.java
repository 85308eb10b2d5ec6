package io.hivemind.server.dns;

/**
 * One record of an answer, class IN.
 *
 * @param name the owner name, absolute (ends with a dot)
 * @param type its type ({@link DnsTypes})
 * @param ttlSeconds how long a resolver may cache it
 * @param data what it says
 */
record ResourceRecord(String name, int type, long ttlSeconds, Rdata data) {}
