package io.hivemind.client;

/**
 * A code and a sentence for a person, the shape of the protocols' refusals and errors (fields 1 and
 * 2 of catalog_session.proto's and state_client.proto's refused, result and error messages).
 *
 * @param code the enum's number, as sent
 * @param sentence the agent's sentence, "" when none
 */
record CodedSentence(long code, String sentence) {

  /** Reads the message {@code body}, skipping fields this client does not know. */
  static CodedSentence read(ProtoReader body) {
    long code = 0;
    String sentence = "";
    while (body.next()) {
      switch (body.field()) {
        case 1 -> code = body.varint();
        case 2 -> sentence = body.string();
        default -> body.skip();
      }
    }
    return new CodedSentence(code, sentence);
  }
}
