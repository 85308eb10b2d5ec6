package io.hivemind.bench.kv;

/**
 * An HTTP response as the writers need it: the status, the body as text, and whether the server
 * closes the connection after it ({@code Connection: close}, HTTP/1.0, or a body that ran to the
 * end of the stream).
 */
record HttpAnswer(int status, String body, boolean closes) {}
