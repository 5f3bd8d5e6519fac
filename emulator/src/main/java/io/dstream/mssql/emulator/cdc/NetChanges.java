package io.dstream.mssql.emulator.cdc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The net-changes computation (reference §3.4) over change rows ordered by start LSN, seqval, operation. */
final class NetChanges {

    private static final int DELETE = 1;
    private static final int INSERT = 2;
    private static final int UPDATE_BEFORE = 3;
    private static final int UPDATE_AFTER = 4;
    private static final int MERGE = 5;

    /** One change row: [start_lsn, seqval, operation, mask, captured columns...]. */
    private record Row(Object[] values) {
        byte[] seqval() {
            return (byte[]) values[1];
        }

        int op() {
            return ((Number) values[2]).intValue();
        }

        byte[] mask() {
            return (byte[]) values[3];
        }
    }

    private static final class Group {
        int count;
        Row first; // earliest row with op in {1,2,4}
        Row last;  // latest row with op in {1,2,4}
        byte[] mask;
    }

    /** One group key: the row identifier values, compared by content. */
    private record Key(Object[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.deepEquals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }
    }

    private NetChanges() {
    }

    static List<Object[]> compute(ResultSet rs, List<String> captured, List<String> key, String option)
            throws SQLException {
        int width = 4 + captured.size();
        int[] keyIndex = key.stream().mapToInt(k -> indexOf(captured, k) + 4).toArray();
        Map<Key, Group> groups = new LinkedHashMap<>(); // first appearance order
        while (rs.next()) {
            Object[] v = new Object[width];
            for (int i = 0; i < width; i++) {
                v[i] = rs.getObject(i + 1);
            }
            Row row = new Row(v);
            Object[] k = new Object[keyIndex.length];
            for (int i = 0; i < keyIndex.length; i++) {
                k[i] = v[keyIndex[i]];
            }
            Group g = groups.computeIfAbsent(new Key(k), x -> new Group());
            g.count++; // op-3 rows count too, as in the generated function
            g.mask = UpdateMask.or(g.mask, row.mask());
            if (row.op() != UPDATE_BEFORE) {
                if (g.first == null) {
                    g.first = row;
                }
                g.last = row;
            }
        }
        List<Row> lasts = new ArrayList<>();
        List<Object[]> out = new ArrayList<>();
        for (Group g : groups.values()) {
            if (g.last == null) {
                continue;
            }
            int lastOp = g.last.op();
            int firstOp = g.first.op();
            if (g.count > 1 && lastOp == DELETE && firstOp == INSERT) {
                continue; // inserted and deleted inside the window: cancels out
            }
            int op = netOperation(g.count, firstOp, lastOp);
            byte[] mask = null;
            if (option.equals("all with merge")) {
                op = lastOp == DELETE ? DELETE : MERGE;
            } else if (option.equals("all with mask") && op == UPDATE_AFTER) {
                mask = g.count == 1 ? g.last.mask() : g.mask;
            }
            Object[] v = g.last.values();
            Object[] r = new Object[width - 1];
            r[0] = v[0];
            r[1] = op;
            r[2] = mask;
            System.arraycopy(v, 4, r, 3, captured.size());
            lasts.add(g.last);
            out.add(r);
        }
        // Ordered like the change table: by the last change's commit LSN and seqval.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> (byte[]) lasts.get(i).values()[0], Arrays::compareUnsigned)
                .thenComparing(i -> lasts.get(i).seqval(), Arrays::compareUnsigned));
        List<Object[]> sorted = new ArrayList<>();
        for (int i : order) {
            sorted.add(out.get(i));
        }
        return sorted;
    }

    private static int netOperation(int count, int firstOp, int lastOp) {
        if (count == 1) {
            return lastOp;
        }
        if (firstOp == INSERT) {
            return INSERT;
        }
        if (firstOp == UPDATE_AFTER) {
            return lastOp == DELETE ? DELETE : UPDATE_AFTER;
        }
        return lastOp == INSERT || lastOp == UPDATE_AFTER ? UPDATE_AFTER : DELETE;
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (Names.same(names.get(i), name)) {
                return i;
            }
        }
        throw new IllegalStateException("row identifier column " + name + " is not captured");
    }
}
