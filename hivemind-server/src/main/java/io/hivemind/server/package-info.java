/** The agent: transports, HTTP API, metrics and configuration around the membership core. */
package io.hivemind.server;
