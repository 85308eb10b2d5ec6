/**
 * ACL token resolution shared by every way into the agent that takes a token (the HTTP API, the
 * catalogue session port): one place decides what a secret stands for (docs/acl.md). Depends on
 * hivemind-core only, so both the HTTP and the catalogue packages can use it without a cycle.
 */
package io.hivemind.server.acl;
