package io.dstream.mssql.ingester.cdc;

/**
 * The {@code __$operation} column of a change table, decoded once. The codes are SQL Server's and
 * also their order within one {@code __$seqval}: an update's before image (3) sorts before its after
 * image (4).
 */
public enum Operation {
    DELETE(1),
    INSERT(2),
    UPDATE_BEFORE(3),
    UPDATE_AFTER(4);

    private final int code;

    Operation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Operation of(int code) {
        return switch (code) {
            case 1 -> DELETE;
            case 2 -> INSERT;
            case 3 -> UPDATE_BEFORE;
            case 4 -> UPDATE_AFTER;
            default -> throw new IllegalArgumentException("unknown __$operation " + code
                    + " (a change table holds 1 delete, 2 insert, 3/4 update before/after)");
        };
    }
}
