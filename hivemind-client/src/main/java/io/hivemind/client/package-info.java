/** Java client for the agent HTTP API. */
package io.hivemind.client;
