package io.hivemind.api;

/**
 * One rule of an ACL token, as the {@code /v1/acl/token} endpoints write it: {@code {"Resource":
 * "service", "Prefix": "web", "Access": "write"}} (docs/acl.md). Of a token's rules for one
 * resource, the longest prefix that starts the name decides; {@code write} implies {@code read}.
 *
 * @param resource {@code service}, {@code key}, {@code node}, {@code agent}, {@code operator} or
 *     {@code acl}
 * @param prefix the names the rule covers: those that start with it ({@code ""}: every name)
 * @param access {@code read}, {@code write} or {@code deny}
 */
public record AclRuleSpec(String resource, String prefix, String access) {}
