package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;

/** A {@link ResultSink} that records everything, for engine-level tests. */
final class CollectingSink implements ResultSink {

    /** One result set with its rows. */
    record Result(List<Column> columns, List<Object[]> rows) {
        Object value(int row, int column) {
            return rows.get(row)[column];
        }
    }

    final List<Result> results = new ArrayList<>();
    final List<Long> counts = new ArrayList<>();
    final List<SqlError> errors = new ArrayList<>();
    final List<String> infos = new ArrayList<>();
    final List<Integer> infoNumbers = new ArrayList<>();
    final List<Integer> statuses = new ArrayList<>();
    final List<Parameter> returnValues = new ArrayList<>();
    final List<String> databaseChanges = new ArrayList<>();
    private Result current;

    @Override
    public void columns(List<Column> columns) {
        current = new Result(columns, new ArrayList<>());
        results.add(current);
    }

    @Override
    public void row(Object[] values) {
        current.rows().add(values);
    }

    @Override
    public void done(long rowCount) {
        counts.add(rowCount);
    }

    @Override
    public void error(SqlError error) {
        errors.add(error);
    }

    @Override
    public void info(int number, String message) {
        infoNumbers.add(number);
        infos.add(message);
    }

    @Override
    public void returnValue(Parameter parameter) {
        returnValues.add(parameter);
    }

    @Override
    public void returnStatus(int status) {
        statuses.add(status);
    }

    @Override
    public void databaseChanged(String oldDatabase, String newDatabase) {
        databaseChanges.add(oldDatabase + "->" + newDatabase);
    }

    Result last() {
        return results.get(results.size() - 1);
    }

    Object scalar() {
        return last().value(0, 0);
    }
}
