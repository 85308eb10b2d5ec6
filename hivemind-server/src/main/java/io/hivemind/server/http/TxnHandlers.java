package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.CommandAccess;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlFieldRules;
import io.hivemind.core.control.KvOp;
import io.hivemind.core.control.KvTxnReads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Consul's transaction API, {@code PUT /v1/txn}, for its KV operations (docs/protocol/control.md,
 * "Transactions"): the body's operations become one {@code KvTxn} command, which the control plane
 * applies all or none; one that only reads is answered from a view in the request's consistency
 * mode ({@link ControlReads}: {@code ?stale} from this agent's replica, blocking with {@code
 * ?index}), as Consul answers it without a Raft round. Applied: 200 with what each operation
 * answered; an operation that failed: 409 with its position and why, as Consul answers. Node,
 * service, check and session operations are refused with a sentence. Runs on the HTTP event loop.
 */
final class TxnHandlers {

  /** The largest request: Consul's default {@code txn_max_req_len}. */
  static final int MAX_BODY_BYTES = 512 * 1024;

  private static final String CODE = "invalid_txn";
  private static final Set<String> OPERATION_KINDS =
      Set.of("KV", "Node", "Service", "Check", "Session");
  private static final Set<String> KV_FIELDS =
      Set.of("Verb", "Key", "Value", "Flags", "Index", "Session", "Namespace", "Partition");

  private final AgentOperations agent;

  TxnHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /** {@code PUT /v1/txn}: a JSON array of operations. */
  void txn(ApiRequest request) {
    ControlCommand.KvTxn txn = parse(request.body());
    for (CommandAccess.Need need : CommandAccess.of(txn)) {
      if (need.under()) {
        request.caller().requireUnder(need.resource(), need.name(), need.access());
      } else {
        request.caller().require(need.resource(), need.name(), need.access());
      }
    }
    if (KvTxnReads.readOnly(txn)) {
      // Consul answers a transaction that only reads from a server's state, in the request's
      // consistency mode, with its index headers: no Raft round.
      ControlReads.read(request, agent.control(), view -> reply(KvTxnReads.evaluate(txn, view)));
      return;
    }
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(txn, ApiAcl.presented(request)),
        "txn_failed",
        result -> answer(request, result));
  }

  /** A committed transaction's answer; a refusal that names no operation is an error. */
  private static void answer(ApiRequest request, ApplyResult result) {
    if (result instanceof ApplyResult.Refused refused && refused.operation() < 0) {
      throw ControlAnswers.refused(refused);
    }
    ControlReply reply = reply(result);
    request.json(reply.status(), reply.body());
  }

  /** 200 with what each operation answered, or 409 naming the operation that failed (Consul's). */
  private static ControlReply reply(ApplyResult result) {
    if (result instanceof ApplyResult.Refused refused) {
      return ControlReply.json(409, ControlJson.txnErrors(refused.operation(), refused.message()));
    }
    return ControlReply.json(200, ControlJson.txnResults(((ApplyResult.Applied) result).kv()));
  }

  /**
   * The transaction a body asks for.
   *
   * @throws ApiException 400 naming the operation and field at fault, 413 past the operations limit
   */
  static ControlCommand.KvTxn parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest(CODE, "the body must be a JSON array of operations");
    }
    if (!(JsonBody.parse(body) instanceof List<?> list)) {
      throw ApiException.badRequest(CODE, "the body must be a JSON array of operations");
    }
    if (list.isEmpty()) {
      throw ApiException.badRequest(CODE, "the transaction holds no operation");
    }
    if (list.size() > ControlFieldRules.MAX_TXN_OPS) {
      // Consul's status and wording for the same limit.
      throw new ApiException(
          413,
          "too_many_operations",
          "Transaction contains too many operations ("
              + list.size()
              + " > "
              + ControlFieldRules.MAX_TXN_OPS
              + ")");
    }
    List<KvOp> ops = new ArrayList<>(list.size());
    for (int position = 0; position < list.size(); position++) {
      ops.add(operation(new ConsulObject(list.get(position), "operation " + position, CODE)));
    }
    ControlCommand.KvTxn txn = new ControlCommand.KvTxn(ops);
    ControlFieldRules.problem(ControlEntry.of(0, txn))
        .ifPresent(
            problem -> {
              throw ApiException.badRequest(CODE, problem);
            });
    return txn;
  }

  private static KvOp operation(ConsulObject operation) {
    operation.refuseUnknown(OPERATION_KINDS);
    for (String kind : List.of("Node", "Service", "Check", "Session")) {
      if (operation.has(kind)) {
        throw new ApiException(
            400,
            "not_supported",
            operation.field(kind)
                + " is not supported: a transaction here holds KV operations only (the catalogue's"
                + " registrations have their own endpoints)");
      }
    }
    ConsulObject kv = operation.object("KV");
    if (kv == null) {
      throw operation.bad(
          operation.field("KV") + " is required: a transaction holds KV operations");
    }
    kv.refuseUnknown(KV_FIELDS);
    kv.refuseValue("Namespace", "Hivemind has no namespaces");
    kv.refuseValue("Partition", "Hivemind has no admin partitions");
    String verbName = kv.string("Verb", "");
    KvOp.Verb verb =
        KvOp.Verb.named(verbName)
            .orElseThrow(
                () ->
                    kv.bad(
                        kv.field("Verb")
                            + " must be one of "
                            + Arrays.stream(KvOp.Verb.values())
                                .map(KvOp.Verb::consulName)
                                .collect(Collectors.joining(", "))
                            + ", not \""
                            + verbName
                            + "\""));
    return new KvOp(
        verb,
        kv.string("Key", ""),
        value(kv),
        kv.number("Flags", 0, 0, Long.MAX_VALUE),
        kv.number("Index", 0, 0, Long.MAX_VALUE),
        kv.string("Session", ""));
  }

  private static byte[] value(ConsulObject kv) {
    String value = kv.string("Value", "");
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw kv.bad(kv.field("Value") + " must be base64: " + e.getMessage());
    }
  }
}
