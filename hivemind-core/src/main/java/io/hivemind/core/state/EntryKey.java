package io.hivemind.core.state;

/** An entry's address inside one partition: the map and the key. */
record EntryKey(String map, String key) {}
