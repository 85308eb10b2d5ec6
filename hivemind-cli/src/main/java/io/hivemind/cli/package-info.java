/**
 * The {@code hivemind} command. Each subcommand is a picocli command class; user mistakes become
 * one sentence on stderr and a non-zero exit, never a stack trace.
 */
package io.hivemind.cli;
