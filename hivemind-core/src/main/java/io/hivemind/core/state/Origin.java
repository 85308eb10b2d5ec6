package io.hivemind.core.state;

/** Where a request's answer goes: this node's driver, or the node that forwarded it here. */
sealed interface Origin {

  void answer(StateOutput output, StateResult result);

  /** Whether another node forwarded the request (so this node must not forward it again). */
  boolean remote();

  /** A request the driver handed to this node. */
  record Local(long requestId) implements Origin {
    @Override
    public void answer(StateOutput output, StateResult result) {
      output.reply(requestId, result);
    }

    @Override
    public boolean remote() {
      return false;
    }
  }

  /** A request {@code fromId} forwarded as its {@code requestId}. */
  record Remote(String fromId, long requestId) implements Origin {
    @Override
    public void answer(StateOutput output, StateResult result) {
      output.send(fromId, new StateMessage.ForwardResult(requestId, result));
    }

    @Override
    public boolean remote() {
      return true;
    }
  }
}
