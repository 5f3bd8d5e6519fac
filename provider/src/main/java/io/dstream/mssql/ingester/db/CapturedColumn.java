package io.dstream.mssql.ingester.db;

/** A column a capture instance records; {@code ordinal} is its 1-based bit in {@code __$update_mask}. */
public record CapturedColumn(String name, int ordinal) {
}
