package io.dstream.mssql.emulator.cdc;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code @captured_column_list}: comma-separated names, each optionally quoted with {@code []} or
 * {@code ""} (needed when a name contains a comma), doubled closing quotes escaping themselves.
 */
final class ColumnList {

    private ColumnList() {
    }

    static List<String> parse(String list) {
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = list.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(list.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            char c = list.charAt(i);
            StringBuilder name = new StringBuilder();
            if (c == '[' || c == '"') {
                char close = c == '[' ? ']' : '"';
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = list.charAt(i);
                    if (d == close) {
                        if (i + 1 < n && list.charAt(i + 1) == close) {
                            name.append(close);
                            i += 2;
                            continue;
                        }
                        i++;
                        closed = true;
                        break;
                    }
                    name.append(d);
                    i++;
                }
                if (!closed) {
                    throw CdcErrors.unterminatedQuote();
                }
                while (i < n && list.charAt(i) != ',') {
                    i++;
                }
            } else {
                while (i < n && list.charAt(i) != ',') {
                    name.append(list.charAt(i++));
                }
            }
            String trimmed = name.toString().strip();
            if (!trimmed.isEmpty()) {
                names.add(c == '[' || c == '"' ? name.toString() : trimmed);
            }
            i++; // the comma
        }
        return names;
    }
}
