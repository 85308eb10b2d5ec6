package io.hivemind.core.state;

/** A write the owner applied as {@code sequence}, answered once enough copies hold it. */
record PendingWrite(long sequence, Origin origin, StateResult result, long deadlineMillis) {}
