package io.dstream.mssql.emulator.tds;

/** One client message: the packet type and the payloads of all its packets joined. */
record Message(int type, byte[] payload) {
}
