package io.dstream.mssql.emulator.engine;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: interprets T-SQL control flow, variables and transaction statements in
 * Java and runs everything else on its H2 connection, which is never in autocommit mode — this
 * class decides when to commit (after each statement unless a transaction is open); every commit
 * and rollback goes through its {@link SessionTransaction}, which notifies the database's
 * transaction listeners.
 *
 * <p>Known differences from SQL Server, each chosen so that a client sees an error or the same
 * data rather than a silently different answer:
 * <ul>
 *   <li>On an error the rest of the batch is not run and an open transaction stays open (SQL
 *       Server without XACT_ABORT keeps it open for most statement errors, but runs the following
 *       statements of the batch after some of them; stopping is the safe reading for clients that
 *       check errors). With XACT_ABORT ON the transaction is rolled back, as in SQL Server.</li>
 *   <li>DDL inside an explicit transaction is committed at once by H2 (together with the work
 *       before it); SQL Server would roll it back with the transaction. The listeners are told
 *       about that commit.</li>
 *   <li>Variables live for one batch, as in SQL Server; temporary tables ({@code #t}) are
 *       ordinary tables of the database, visible to other sessions.</li>
 * </ul>
 */
final class H2Session implements Session {

    private static final Logger LOG = LoggerFactory.getLogger(H2Session.class);

    /** Statements that open a transaction under SET IMPLICIT_TRANSACTIONS ON (SQL Server docs list). */
    private static final Set<String> IMPLICIT_TRANSACTION_STARTERS = Set.of("ALTER", "CREATE", "DELETE", "DROP",
            "INSERT", "MERGE", "SELECT", "TRUNCATE", "UPDATE", "GRANT", "REVOKE", "WITH");

    private static final Set<String> DDL = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE");

    private static final Set<String> COUNTED = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");

    private static final SqlType NVARCHAR_128 = SqlType.sized(SqlType.Kind.NVARCHAR, 128);
    private static final SqlType INT = SqlType.of(SqlType.Kind.INT);

    private final H2Engine engine;
    private final String user;
    private final int spid;
    private final Map<String, Connection> connections = new HashMap<>();
    private H2Database db;
    private Connection conn;
    private final SessionTransaction tx = new SessionTransaction();

    private final SessionOptions options = new SessionOptions();
    /** The table (schema, name) with SET IDENTITY_INSERT ON in this session, or null. */
    private String[] identityInsert;
    private long rowCount;
    private int lastError;

    private int statementLine;
    private volatile Statement running;
    private final Object waitLock = new Object();
    private volatile boolean cancelled;

    H2Session(H2Engine engine, H2Database db, String user, int spid) {
        this.engine = engine;
        this.user = user;
        this.spid = spid;
        switchTo(db);
    }

    @Override
    public String database() {
        return db.name();
    }

    int spid() {
        return spid;
    }

    /** The line (within the last batch) of the statement that ran last, for error locations in scripts. */
    int statementLine() {
        return statementLine;
    }

    // ---------------------------------------------------------------- requests

    @Override
    public void execute(String sql, List<Parameter> parameters, ResultSink sink) {
        cancelled = false;
        engine.countRequest();
        LOG.debug("spid {} batch: {}", spid, sql);
        Frame frame = new Frame(null);
        for (Parameter p : parameters) {
            frame.variables.put(p.name().toLowerCase(Locale.ROOT), p);
        }
        statementLine = 0;
        try {
            runBatch(Parser.parse(sql), frame, sink);
        } catch (Parser.ParseError e) {
            statementLine = e.line;
            fail(e.error, sink);
            return;
        } catch (SqlError e) {
            fail(e, sink);
            return;
        } catch (Cancelled e) {
            return;
        }
        for (Parameter p : parameters) {
            if (p.output()) {
                sink.returnValue(frame.variables.get(p.name().toLowerCase(Locale.ROOT)));
            }
        }
    }

    @Override
    public void callProcedure(String name, List<Parameter> parameters, ResultSink sink) {
        cancelled = false;
        engine.countRequest();
        LOG.debug("spid {} rpc: {} {}", spid, name, parameters);
        List<ProcedureCall.Argument> arguments = new ArrayList<>();
        for (Parameter p : parameters) {
            String argName = p.name() == null || p.name().isEmpty() ? null : p.name().replaceFirst("^@", "");
            arguments.add(new ProcedureCall.Argument(argName, p.value(), false));
        }
        try {
            beforeStatement();
            int status = invoke(List.of(Lexer.tokenize(name).stream().filter(Token::isName).map(Token::value)
                    .toArray(String[]::new)), arguments, sink, name);
            afterStatement();
            sink.returnStatus(status);
            for (Parameter p : parameters) {
                if (p.output()) {
                    sink.returnValue(p);
                }
            }
        } catch (SqlError e) {
            afterError(e);
            sink.error(e);
        } catch (Cancelled e) {
            afterCancel();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        synchronized (waitLock) {
            waitLock.notifyAll();
        }
        Statement s = running;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException e) {
                LOG.debug("spid {}: cancel failed: {}", spid, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        tx.close();
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("spid {}: close failed: {}", spid, e.getMessage());
            }
        }
        connections.clear();
    }

    private void fail(SqlError e, ResultSink sink) {
        afterError(e);
        sink.error(e);
        sink.done(-1);
    }

    // ---------------------------------------------------------------- interpreter

    /**
     * Variables of one batch (or of the dynamic SQL a batch runs); {@code caught} inside CATCH.
     * {@code tables} maps each table variable to the H2 table that holds its rows.
     */
    private static final class Frame {
        final Map<String, Parameter> variables = new TreeMap<>();
        final Map<String, String> tables = new HashMap<>();
        final SqlError caught;

        Frame(SqlError caught) {
            this.caught = caught;
        }
    }

    private enum Flow { NEXT, BREAK, CONTINUE, RETURN }

    /** Thrown to unwind a batch after ATTENTION; not an error the client sees. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private void runBatch(List<Stmt> statements, Frame frame, ResultSink sink) {
        for (Stmt s : statements) {
            if (run(s, frame, sink) == Flow.RETURN) {
                return;
            }
        }
    }

    private Flow run(Stmt stmt, Frame frame, ResultSink sink) {
        if (cancelled) {
            afterCancel();
            throw new Cancelled();
        }
        if (stmt instanceof Stmt.Block b) {
            return runBlock(b.body(), frame, sink);
        }
        if (stmt instanceof Stmt.If s) {
            if (condition(s.condition(), frame)) {
                return run(s.then(), frame, sink);
            }
            return s.otherwise() == null ? Flow.NEXT : run(s.otherwise(), frame, sink);
        }
        if (stmt instanceof Stmt.While s) {
            while (condition(s.condition(), frame)) {
                Flow f = run(s.body(), frame, sink);
                if (f == Flow.BREAK) {
                    break;
                }
                if (f == Flow.RETURN) {
                    return f;
                }
            }
            return Flow.NEXT;
        }
        if (stmt instanceof Stmt.TryCatch s) {
            return tryCatch(s, frame, sink);
        }
        if (stmt instanceof Stmt.Return) {
            return Flow.RETURN;
        }
        if (stmt instanceof Stmt.Break) {
            return Flow.BREAK;
        }
        if (stmt instanceof Stmt.Continue) {
            return Flow.CONTINUE;
        }
        leaf(stmt, frame, sink);
        return Flow.NEXT;
    }

    private Flow runBlock(List<Stmt> body, Frame frame, ResultSink sink) {
        for (Stmt s : body) {
            Flow f = run(s, frame, sink);
            if (f != Flow.NEXT) {
                return f;
            }
        }
        return Flow.NEXT;
    }

    private Flow tryCatch(Stmt.TryCatch s, Frame frame, ResultSink sink) {
        try {
            return run(s.tryBlock(), frame, sink);
        } catch (SqlError e) {
            afterError(e);
            Frame catchFrame = new Frame(e);
            catchFrame.variables.putAll(frame.variables);
            catchFrame.tables.putAll(frame.tables);
            Flow f = run(s.catchBlock(), catchFrame, sink);
            frame.variables.putAll(catchFrame.variables);
            return f;
        }
    }

    /** One statement that does something (not control flow): counted, injectable, autocommitted. */
    private void leaf(Stmt stmt, Frame frame, ResultSink sink) {
        statementLine = stmt.line();
        beforeStatement();
        boolean success = false;
        try {
            if (stmt instanceof Stmt.Sql s) {
                sql(s, frame, sink);
            } else if (stmt instanceof Stmt.Declare d) {
                declare(d, frame);
            } else if (stmt instanceof Stmt.DeclareTable d) {
                declareTable(d, frame);
            } else if (stmt instanceof Stmt.SetVariable s) {
                setVariable(s, frame);
            } else if (stmt instanceof Stmt.SetOption s) {
                if (!s.tokens().isEmpty() && s.tokens().get(0).is("IDENTITY_INSERT")) {
                    identityInsert(s.tokens());
                } else {
                    options.apply(s.tokens(), conn);
                }
                rowCount = 0;
                sink.done(-1);
            } else if (stmt instanceof Stmt.Exec e) {
                exec(e, frame, sink);
            } else if (stmt instanceof Stmt.Print p) {
                Object value = evaluate(p.expression(), frame);
                sink.info(0, value == null ? "" : value.toString());
                rowCount = 0;
            } else if (stmt instanceof Stmt.Use u) {
                use(u.database(), sink);
            } else if (stmt instanceof Stmt.BeginTran) {
                tx.begin();
                rowCount = 0;
                sink.done(-1);
            } else if (stmt instanceof Stmt.CommitTran) {
                tx.commitTran();
                rowCount = 0;
                sink.done(-1);
            } else if (stmt instanceof Stmt.RollbackTran r) {
                tx.rollbackTran(r.savepoint());
                sink.done(-1);
            } else if (stmt instanceof Stmt.SaveTran s) {
                tx.save(s.name());
                sink.done(-1);
            } else if (stmt instanceof Stmt.Raise r) {
                raise(r, frame, sink);
            } else {
                throw new IllegalStateException("not a leaf statement: " + stmt);
            }
            success = true;
        } finally {
            if (success) {
                afterStatement();
            }
        }
        lastError = 0;
    }

    private void beforeStatement() {
        SqlError injected = engine.nextInjectedError();
        if (injected != null) {
            throw injected;
        }
    }

    private void afterStatement() {
        tx.endStatement();
    }

    private void afterError(SqlError e) {
        lastError = e.number();
        tx.failedStatement(options.xactAbort);
    }

    private void afterCancel() {
        tx.cancelledStatement();
    }

    // ---------------------------------------------------------------- statements run by H2

    private void sql(Stmt.Sql s, Frame frame, ResultSink sink) {
        List<Token> tokens = tableVariablesResolved(s.tokens(), frame);
        String verb = s.keyword();
        if (options.implicitTransactions && IMPLICIT_TRANSACTION_STARTERS.contains(verb)
                && (!verb.equals("SELECT") || tokens.stream().anyMatch(t -> t.is("FROM")))) {
            tx.beginImplicitly();
        }
        if (isSecurityStatement(tokens)) {
            // the emulator has no permission model (any login may do anything): accepted, without effect
            LOG.info("spid {}: {} accepted without effect (the emulator does not model permissions)", spid,
                    verb + " " + tokens.get(1).upper());
            sink.done(-1);
            return;
        }
        if (verb.equals("WAITFOR")) {
            waitFor(tokens, frame);
            sink.done(-1);
            return;
        }
        if (SelectAssignment.matches(tokens)) {
            selectAssign(tokens, frame, sink);
            return;
        }
        List<Token> withOutput = DmlRewrites.rewrite(tokens);
        if (withOutput != null) {
            tokens = withOutput;
        }
        List<Token> selectInto = DmlRewrites.selectInto(tokens);
        if (selectInto != null) {
            tokens = selectInto;
            verb = "CREATE";
        }
        rejectUnsupported(tokens);
        if (verb.equals("TRUNCATE")) {
            rejectTruncateOfTrackedTable(tokens);
        }
        if (verb.equals("INSERT")) {
            checkIdentityInsert(tokens);
            int exec = insertExecAt(tokens);
            if (exec > 0) {
                insertExec(tokens.subList(0, exec), tokens.subList(exec + 1, tokens.size()), frame, sink);
                return;
            }
        }
        Translator.Translation translation = Translator.statement(db, scope(frame), tokens);
        boolean ddl = DDL.contains(verb) && !verb.equals("TRUNCATE");
        for (Translator.H2Sql h2 : translation.statements()) {
            runH2(h2, tokens, verb, sink, !ddl);
        }
        for (Translator.DdlEffect effect : translation.effects()) {
            db.apply(effect);
        }
        if (ddl) {
            db.schemasMayHaveChanged();
        }
        if (ddl || verb.equals("TRUNCATE")) {
            // H2 commits the open transaction on DDL; tell the listeners (SQL Server would keep it open)
            if (tx.isOpen()) {
                tx.committedByH2();
            }
            sink.done(-1);
        }
    }

    /** {@code WAITFOR DELAY 'hh:mm:ss[.fff]'} or {@code WAITFOR TIME 'hh:mm:ss'}; ends early on ATTENTION. */
    private void waitFor(List<Token> tokens, Frame frame) {
        if (tokens.size() < 3 || !(tokens.get(1).is("DELAY") || tokens.get(1).is("TIME"))) {
            throw Parser.syntaxError(tokens.size() > 1 ? tokens.get(1) : tokens.get(0));
        }
        Object value = evaluate(tokens.subList(2, tokens.size()), frame);
        java.time.LocalTime time;
        try {
            time = value instanceof java.time.LocalTime t ? t : java.time.LocalTime.parse(String.valueOf(value).trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw SqlError.of(148, "Incorrect time syntax in time string '" + value + "' used with WAITFOR.");
        }
        long millis = tokens.get(1).is("DELAY") ? time.toNanoOfDay() / 1_000_000
                : java.time.Duration.between(java.time.LocalTime.now(), time).plusDays(1).toMillis() % 86_400_000L;
        long deadline = System.currentTimeMillis() + millis;
        synchronized (waitLock) {
            long left;
            while (!cancelled && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    waitLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled();
                }
            }
        }
        if (cancelled) {
            afterCancel();
            throw new Cancelled();
        }
    }

    /** Runs one translated statement; sends rows and the statement's done; returns the count. */
    private long runH2(Translator.H2Sql h2, List<Token> tokens, String verb, ResultSink sink, boolean sendDone) {
        tx.touched();
        try (Catalog.StatementScope views = Catalog.statement(); PreparedStatement ps = conn.prepareStatement(h2.sql())) {
            bindAll(ps, h2.binds());
            running = ps;
            if (cancelled) {
                throw new Cancelled();
            }
            boolean hasResult = ps.execute();
            if (hasResult) {
                long rows;
                try (ResultSet rs = ps.getResultSet()) {
                    rows = Results.stream(rs, sink, db, () -> cancelled);
                }
                rowCount = rows;
                if (sendDone) {
                    sink.done(options.nocount ? -1 : rows);
                }
                return rows;
            }
            long count = ps.getLargeUpdateCount();
            rowCount = Math.max(count, 0);
            if (sendDone) {
                sink.done(options.nocount || !COUNTED.contains(verb) ? -1 : count);
            }
            return count;
        } catch (Results.Interrupted e) {
            afterCancel();
            throw new Cancelled();
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED || cancelled) {
                afterCancel();
                throw new Cancelled();
            }
            throw Errors.translate(e, db, tokens, verb);
        } finally {
            running = null;
        }
    }

    private static void bindAll(PreparedStatement ps, List<Translator.Bind> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            Values.bind(ps, i + 1, binds.get(i).value(), binds.get(i).type());
        }
    }

    /**
     * {@code SET IDENTITY_INSERT table ON|OFF}: one table per session may take explicit identity
     * values. OFF moves the identity past the largest value, as SQL Server does when explicit
     * values exceed the current seed (in H2 that is DDL, so it commits an open transaction).
     */
    private void identityInsert(List<Token> tokens) {
        String[] table = Translator.tableAt(db, tokens, 1);
        int at = Integer.parseInt(table[2]);
        if (at != tokens.size() - 1 || !(tokens.get(at).is("ON") || tokens.get(at).is("OFF"))) {
            throw Parser.syntaxError(tokens.get(Math.min(at, tokens.size() - 1)));
        }
        if (db.objectId(table[0], table[1]) == null) {
            throw SqlError.of(208, "Invalid object name '" + table[0] + "." + table[1] + "'.");
        }
        String column = db.identityColumn(table[0], table[1]);
        if (column == null) {
            throw SqlError.of(8106, "Table '" + table[0] + "." + table[1]
                    + "' does not have the identity property. Cannot perform SET operation.");
        }
        boolean on = tokens.get(at).is("ON");
        if (on) {
            if (identityInsert != null && !sameTable(identityInsert, table)) {
                throw SqlError.of(8107, "IDENTITY_INSERT is already ON for table '" + db.name() + "." + identityInsert[0]
                        + "." + identityInsert[1] + "'. Cannot perform SET operation for table '" + table[1] + "'.");
            }
            identityInsert = table;
            return;
        }
        if (identityInsert != null && sameTable(identityInsert, table)) {
            identityInsert = null;
            reseed(table, column);
        }
    }

    private void reseed(String[] table, String column) {
        String qualified = Translator.quote(table[0]) + "." + Translator.quote(table[1]);
        tx.touched();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(" + Translator.quote(column) + ") FROM " + qualified)) {
            if (rs.next() && rs.getObject(1) != null) {
                long next = rs.getLong(1) + 1;
                try (Statement alter = conn.createStatement()) {
                    alter.execute("ALTER TABLE " + qualified + " ALTER COLUMN " + Translator.quote(column) + " RESTART WITH " + next);
                }
                if (tx.isOpen()) {
                    tx.committedByH2();
                }
            }
        } catch (SQLException e) {
            throw Errors.translate(e, db, List.of(), "SET");
        }
    }

    private static boolean sameTable(String[] a, String[] b) {
        return a[0].equalsIgnoreCase(b[0]) && a[1].equalsIgnoreCase(b[1]);
    }

    /** An explicit value for an identity column needs SET IDENTITY_INSERT ON for that table (error 544). */
    private void checkIdentityInsert(List<Token> tokens) {
        int at = tokens.size() > 1 && tokens.get(1).is("INTO") ? 2 : 1;
        if (at >= tokens.size() || !tokens.get(at).isName()) {
            return;
        }
        String[] table = Translator.tableAt(db, tokens, at);
        int open = Integer.parseInt(table[2]);
        if (open >= tokens.size() || !tokens.get(open).isSymbol("(")) {
            return;
        }
        String identity = db.identityColumn(table[0], table[1]);
        if (identity == null || identityInsert != null && sameTable(identityInsert, table)) {
            return;
        }
        int close = Translator.matching(tokens, open, tokens.size());
        for (int i = open + 1; i < close; i++) {
            if (tokens.get(i).isName() && tokens.get(i).value().equalsIgnoreCase(identity)) {
                throw SqlError.of(544, "Cannot insert explicit value for identity column in table '" + table[1]
                        + "' when IDENTITY_INSERT is set to OFF.");
            }
        }
    }

    /** GRANT/REVOKE/DENY and CREATE/ALTER/DROP of USER, LOGIN or ROLE. */
    private static boolean isSecurityStatement(List<Token> tokens) {
        Token first = tokens.get(0);
        if (first.is("GRANT") || first.is("REVOKE") || first.is("DENY")) {
            return tokens.size() > 1;
        }
        return (first.is("CREATE") || first.is("ALTER") || first.is("DROP")) && tokens.size() > 1
                && (tokens.get(1).is("USER") || tokens.get(1).is("LOGIN") || tokens.get(1).is("ROLE"));
    }

    /** SQL Server refuses TRUNCATE on a table CDC tracks: it would bypass the log the capture reads. */
    private void rejectTruncateOfTrackedTable(List<Token> tokens) {
        String[] target = Translator.truncateTarget(db, tokens);
        if (db.cdcFlags().tableTracked(target[0], target[1])) {
            throw SqlError.of(4711, "Cannot truncate table '" + target[0] + "." + target[1]
                    + "' because it is published for replication or enabled for Change Data Capture.");
        }
    }

    private static void rejectUnsupported(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("OUTPUT") && i > 0 && tokens.get(0).is("MERGE")) {
                throw SqlError.of(40519, "OUTPUT in MERGE is not supported by the SQL Server emulator; "
                        + "query the rows in a separate statement.");
            }
            if (t.is("APPLY") && i > 0 && (tokens.get(i - 1).is("CROSS") || tokens.get(i - 1).is("OUTER"))) {
                throw SqlError.of(40519, tokens.get(i - 1).upper() + " APPLY is not supported by the SQL Server emulator.");
            }
        }
    }

    /** {@code SELECT @a = expr, @b = expr [FROM …]}: assigns from the last row, returns no result set. */
    private void selectAssign(List<Token> tokens, Frame frame, ResultSink sink) {
        SelectAssignment assignment = SelectAssignment.parse(tokens);
        for (String v : assignment.variables()) {
            variable(frame, v);
        }
        Translator.H2Sql h2 = Translator.expression(db, scope(frame), assignment.query());
        tx.touched();
        long rows = 0;
        try (Catalog.StatementScope views = Catalog.statement(); PreparedStatement ps = conn.prepareStatement(h2.sql())) {
            bindAll(ps, h2.binds());
            running = ps;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int k = 0; k < assignment.variables().size(); k++) {
                        assign(frame, assignment.variables().get(k), rs.getObject(k + 1));
                    }
                    rows++;
                }
            }
        } catch (SQLException e) {
            throw Errors.translate(e, db, tokens, "SELECT");
        } finally {
            running = null;
        }
        rowCount = rows;
        sink.done(options.nocount ? -1 : rows);
    }

    // ---------------------------------------------------------------- variables and expressions

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private Parameter variable(Frame frame, String name) {
        Parameter p = frame.variables.get(key(name));
        if (p == null) {
            throw SqlError.of(137, "Must declare the scalar variable \"" + name + "\".");
        }
        return p;
    }

    private void declare(Stmt.Declare d, Frame frame) {
        for (Stmt.Declare.Variable v : d.variables()) {
            if (frame.variables.containsKey(key(v.name()))) {
                throw SqlError.of(134, "The variable name '" + v.name()
                        + "' has already been declared. Variable names must be unique within a query batch or stored procedure.");
            }
            Object value = v.initializer().isEmpty() ? null : Values.coerce(evaluate(v.initializer(), frame), v.type());
            frame.variables.put(key(v.name()), new Parameter(v.name(), v.type(), value, false));
        }
    }

    /**
     * {@code DECLARE @t TABLE (…)}: the rows live in an H2 local temporary table, private to this
     * session as a table variable is, created without committing the open transaction (TRANSACTIONAL)
     * and kept for the session's later batches, which find it empty. Column constraints other than
     * NULL / NOT NULL are refused.
     */
    private void declareTable(Stmt.DeclareTable d, Frame frame) {
        if (frame.variables.containsKey(key(d.name())) || frame.tables.containsKey(key(d.name()))) {
            throw SqlError.of(134, "The variable name '" + d.name()
                    + "' has already been declared. Variable names must be unique within a query batch or stored procedure.");
        }
        List<Token> ts = d.columns();
        List<String> columns = new ArrayList<>();
        for (int[] item : Translator.arguments(ts, 0, ts.size() - 1)) {
            columns.add(tableVariableColumn(d.name(), ts.subList(item[0], item[1])));
        }
        String definition = String.join(", ", columns);
        String table = "\"dbo\"." + Translator.quote(key(d.name()) + "#" + Integer.toHexString(definition.hashCode()));
        tx.touched();
        try (Statement st = conn.createStatement()) {
            st.execute(String.format(CREATE_TABLE_VARIABLE, table, definition));
            st.execute("DELETE FROM " + table);
        } catch (SQLException e) {
            throw Errors.translate(e, db, ts, "DECLARE");
        }
        frame.tables.put(key(d.name()), table);
    }

    /** {@code %s}: the table, then its column definitions. */
    private static final String CREATE_TABLE_VARIABLE = "CREATE LOCAL TEMPORARY TABLE IF NOT EXISTS %s (%s) TRANSACTIONAL";

    private static String tableVariableColumn(String variable, List<Token> item) {
        if (item.isEmpty() || !item.get(0).isName()) {
            throw Parser.syntaxError(item.isEmpty() ? new Token(Token.Kind.SYMBOL, ",", 0) : item.get(0));
        }
        SqlTypes.Parsed type = SqlTypes.parse(item, 1);
        List<Token> rest = item.subList(type.next(), item.size());
        boolean notNull = rest.size() == 2 && rest.get(0).is("NOT") && rest.get(1).is("NULL");
        if (!(rest.isEmpty() || notNull || rest.size() == 1 && rest.get(0).is("NULL"))) {
            throw SqlError.of(40517, "Column option '" + rest.get(0).text() + "' in table variable " + variable
                    + " is not supported by the emulator; declare columns as name, type and NULL or NOT NULL.");
        }
        return Translator.quote(item.get(0).value()) + " " + SqlTypes.h2Type(type.type()) + (notNull ? " NOT NULL" : "");
    }

    /** The statement with each table variable it names replaced by its H2 table. */
    private static List<Token> tableVariablesResolved(List<Token> tokens, Frame frame) {
        if (frame.tables.isEmpty()) {
            return tokens;
        }
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            String table = t.kind() == Token.Kind.VARIABLE ? frame.tables.get(key(t.text())) : null;
            if (table == null) {
                out.add(t);
                continue;
            }
            int dot = table.indexOf("\".\"");
            out.add(new Token(Token.Kind.QUOTED_ID, "[" + table.substring(1, dot) + "]", t.line()));
            out.add(new Token(Token.Kind.SYMBOL, ".", t.line()));
            out.add(new Token(Token.Kind.QUOTED_ID, "[" + table.substring(dot + 3, table.length() - 1) + "]", t.line()));
        }
        return out;
    }

    /** The index of EXEC in {@code INSERT [INTO] t [(cols)] EXEC proc …}, or -1. */
    private static int insertExecAt(List<Token> tokens) {
        int depth = 0;
        for (int i = 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && (t.is("EXEC") || t.is("EXECUTE"))) {
                return i;
            }
            if (depth == 0 && (t.is("SELECT") || t.is("VALUES") || t.is("DEFAULT") || t.is("OUTPUT"))) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * {@code INSERT INTO t EXEC proc …}: the rows of every result set the procedure returns are
     * inserted, each as {@code INSERT INTO t VALUES (…)} with the row's values as typed
     * parameters; the procedure's result sets are not sent, only the count of rows inserted.
     */
    private void insertExec(List<Token> target, List<Token> procedure, Frame frame, ResultSink sink) {
        if (procedure.isEmpty()) {
            throw SqlError.of(102, "Incorrect syntax near 'EXEC'.");
        }
        ExecCall call = ExecCall.parse(procedure, new ExecCall.Evaluator() {
            @Override
            public Parameter variable(String name) {
                return H2Session.this.variable(frame, name);
            }

            @Override
            public Object evaluate(List<Token> expression) {
                return evaluateIn(expression, frame);
            }
        });
        RowCollector rows = new RowCollector(sink);
        invoke(call.name(), call.arguments(), rows, call.written());
        int line = target.get(0).line();
        long inserted = 0;
        for (Object[] row : rows.rows) {
            Frame rowFrame = new Frame(frame.caught);
            rowFrame.variables.putAll(frame.variables);
            List<Token> insert = new ArrayList<>(target);
            insert.add(new Token(Token.Kind.WORD, "VALUES", line));
            insert.add(new Token(Token.Kind.SYMBOL, "(", line));
            for (int k = 0; k < row.length; k++) {
                String name = "@__insert_exec_" + k;
                rowFrame.variables.put(key(name), new Parameter(name, rows.columns.get(k).type(), row[k], false));
                if (k > 0) {
                    insert.add(new Token(Token.Kind.SYMBOL, ",", line));
                }
                insert.add(new Token(Token.Kind.VARIABLE, name, line));
            }
            insert.add(new Token(Token.Kind.SYMBOL, ")", line));
            for (Translator.H2Sql h2 : Translator.statement(db, scope(rowFrame), insert).statements()) {
                inserted += runH2(h2, insert, "INSERT", sink, false);
            }
        }
        rowCount = inserted;
        sink.done(options.nocount ? -1 : inserted);
    }

    /**
     * Keeps the rows a procedure returns for {@code INSERT … EXEC}; messages, errors and the
     * procedure's end pass through to the client as SQL Server sends them.
     */
    private static final class RowCollector implements ResultSink {
        private final ResultSink client;
        List<Column> columns = List.of();
        final List<Object[]> rows = new ArrayList<>();

        RowCollector(ResultSink client) {
            this.client = client;
        }

        @Override
        public void columns(List<Column> columns) {
            this.columns = columns;
        }

        @Override
        public void row(Object[] values) {
            if (values.length != columns.size()) {
                throw new IllegalStateException("row of " + values.length + " values for " + columns.size() + " columns");
            }
            rows.add(values.clone());
        }

        @Override
        public void done(long rowCount) {
        }

        @Override
        public void error(SqlError error) {
            client.error(error);
        }

        @Override
        public void info(int number, String message) {
            client.info(number, message);
        }

        @Override
        public void returnValue(Parameter parameter) {
        }

        @Override
        public void returnStatus(int status) {
        }

        @Override
        public void databaseChanged(String oldDatabase, String newDatabase) {
            client.databaseChanged(oldDatabase, newDatabase);
        }
    }

    private void setVariable(Stmt.SetVariable s, Frame frame) {
        Parameter p = variable(frame, s.name());
        List<Token> expression = s.expression();
        if (!s.operator().equals("=")) {
            List<Token> compound = new ArrayList<>();
            compound.add(new Token(Token.Kind.VARIABLE, s.name(), s.line()));
            compound.add(new Token(Token.Kind.SYMBOL, s.operator().substring(0, 1), s.line()));
            compound.add(new Token(Token.Kind.SYMBOL, "(", s.line()));
            compound.addAll(expression);
            compound.add(new Token(Token.Kind.SYMBOL, ")", s.line()));
            expression = compound;
        }
        Object value = Values.coerce(evaluate(expression, frame), p.type());
        frame.variables.put(key(p.name()), new Parameter(p.name(), p.type(), value, p.output()));
        rowCount = 1;
    }

    /** Evaluates a scalar expression (with H2 unless it is a literal). */
    private Object evaluate(List<Token> expression, Frame frame) {
        if (expression.isEmpty()) {
            throw SqlError.of(102, "Incorrect syntax near the end of the statement: an expression is missing.");
        }
        return evaluateIn(expression, frame);
    }

    private static final Object NOT_CONSTANT = new Object();

    /** Literals and lone variables evaluate without a round trip to H2. */
    private Object constant(List<Token> expression) {
        if (expression.size() != 1) {
            return NOT_CONSTANT;
        }
        Token t = expression.get(0);
        return switch (t.kind()) {
            case STRING -> t.value();
            case NUMBER -> number(t.text());
            case BINARY -> HexFormat.of().parseHex(t.text().substring(2).length() % 2 == 1 ? "0" + t.text().substring(2)
                    : t.text().substring(2));
            case WORD -> t.is("NULL") ? null : NOT_CONSTANT;
            default -> NOT_CONSTANT;
        };
    }

    static Object number(String text) {
        if (text.contains(".") || text.contains("e") || text.contains("E")) {
            return text.contains("e") || text.contains("E") ? (Object) Double.valueOf(text) : new BigDecimal(text);
        }
        long v = Long.parseLong(text);
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }

    /** {@code IF}/{@code WHILE} conditions: true only when the predicate is TRUE (NULL counts as false). */
    private boolean condition(List<Token> condition, Frame frame) {
        List<Token> query = new ArrayList<>();
        query.add(new Token(Token.Kind.WORD, "SELECT", 0));
        query.add(new Token(Token.Kind.WORD, "CASE", 0));
        query.add(new Token(Token.Kind.WORD, "WHEN", 0));
        query.addAll(condition);
        for (String w : new String[] {"THEN", "1", "ELSE", "0", "END"}) {
            query.add(new Token(Character.isDigit(w.charAt(0)) ? Token.Kind.NUMBER : Token.Kind.WORD, w, 0));
        }
        Object v = scalarIn(query, condition, frame);
        return v instanceof Number n && n.intValue() == 1;
    }

    private Object scalarIn(List<Token> query, List<Token> source, Frame frame) {
        Translator.H2Sql h2 = Translator.expression(db, scope(frame), query);
        tx.touched();
        try (Catalog.StatementScope views = Catalog.statement(); PreparedStatement ps = conn.prepareStatement(h2.sql())) {
            bindAll(ps, h2.binds());
            running = ps;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Object value = rs.getObject(1);
                if (value instanceof java.sql.Clob c) {
                    return c.getSubString(1, (int) c.length());
                }
                return value;
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED) {
                throw new Cancelled();
            }
            throw Errors.translate(e, db, source, "SELECT");
        } finally {
            running = null;
        }
    }

    private Translator.Scope scope(Frame frame) {
        return new Translator.Scope() {
            @Override
            public Parameter variable(String name) {
                return frame == null ? null : frame.variables.get(key(name));
            }

            @Override
            public Parameter systemVariable(String name) {
                return H2Session.this.systemVariable(name);
            }

            @Override
            public SqlError caughtError() {
                return frame == null ? null : frame.caught;
            }

            @Override
            public String user() {
                return user;
            }
        };
    }

    private Parameter systemVariable(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "@@TRANCOUNT" -> new Parameter(name, INT, tx.count(), false);
            case "@@ROWCOUNT" -> new Parameter(name, INT, (int) Math.min(Integer.MAX_VALUE, rowCount), false);
            case "@@SPID" -> new Parameter(name, SqlType.of(SqlType.Kind.SMALLINT), (short) spid, false);
            case "@@VERSION" -> new Parameter(name, SqlType.sized(SqlType.Kind.NVARCHAR, 300), ServerInfo.VERSION, false);
            case "@@SERVERNAME" -> new Parameter(name, NVARCHAR_128, ServerInfo.SERVER_NAME, false);
            case "@@SERVICENAME" -> new Parameter(name, NVARCHAR_128, "MSSQLSERVER", false);
            case "@@ERROR" -> new Parameter(name, INT, lastError, false);
            case "@@LANGUAGE" -> new Parameter(name, NVARCHAR_128, "us_english", false);
            case "@@MAX_PRECISION" -> new Parameter(name, SqlType.of(SqlType.Kind.TINYINT), (short) 38, false);
            case "@@DATEFIRST" -> new Parameter(name, SqlType.of(SqlType.Kind.TINYINT), (short) 7, false);
            case "@@LOCK_TIMEOUT" -> new Parameter(name, INT, options.lockTimeout, false);
            case "@@NESTLEVEL", "@@PROCID" -> new Parameter(name, INT, 0, false);
            case "@@TEXTSIZE" -> new Parameter(name, INT, Integer.MAX_VALUE, false);
            case "@@MICROSOFTVERSION" -> new Parameter(name, INT, 0x10000000 | 1000, false);
            case "@@OPTIONS" -> new Parameter(name, INT, options.bits(), false);
            default -> null;
        };
    }

    // ---------------------------------------------------------------- USE

    private void use(String database, ResultSink sink) {
        H2Database target = engine.existingDatabase(database);
        if (target == null) {
            throw new SqlError(911, 1, 16, "Database '" + database
                    + "' does not exist. Make sure that the name is entered correctly.");
        }
        if (target == db) {
            sink.info(5701, "Changed database context to '" + db.name() + "'.");
            sink.done(-1);
            return;
        }
        if (tx.isOpen()) {
            throw SqlError.of(40520, "USE inside an open transaction is not supported by the SQL Server emulator; "
                    + "commit or roll back first.");
        }
        tx.settle();
        String old = db.name();
        switchTo(target);
        rowCount = 0;
        sink.databaseChanged(old, target.name());
        sink.info(5701, "Changed database context to '" + target.name() + "'.");
        sink.done(-1);
    }

    private void switchTo(H2Database target) {
        Connection c = connections.get(key(target.name()));
        if (c == null) {
            try {
                c = target.newConnection();
                c.setAutoCommit(false);
                connections.put(key(target.name()), c);
            } catch (SQLException e) {
                throw new SqlError(4060, 1, 11, "Cannot open database \"" + target.name()
                        + "\" requested by the login. The login failed. (" + e.getMessage() + ")");
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SESSION_ID()")) {
            rs.next();
            tx.bind(target, c, rs.getInt(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the H2 session id", e);
        }
        db = target;
        conn = c;
        options.applyLockTimeout(c);
    }

    // ---------------------------------------------------------------- EXEC

    private void exec(Stmt.Exec e, Frame frame, ResultSink sink) {
        List<Token> ts = e.tokens();
        if (ts.isEmpty()) {
            throw SqlError.of(102, "Incorrect syntax near 'EXEC'.");
        }
        if (ts.get(0).isSymbol("(")) {
            int close = Translator.matching(ts, 0, ts.size());
            Object sql = evaluate(ts.subList(1, close), frame);
            runBatch(parseDynamic(sql == null ? "" : sql.toString()), new Frame(null), sink);
            return;
        }
        ExecCall call = ExecCall.parse(ts, new ExecCall.Evaluator() {
            @Override
            public Parameter variable(String name) {
                return H2Session.this.variable(frame, name);
            }

            @Override
            public Object evaluate(List<Token> expression) {
                return evaluateIn(expression, frame);
            }
        });
        int status = call.name().get(call.name().size() - 1).equalsIgnoreCase("sp_executesql")
                ? executeSql(call, frame, sink)
                : invoke(call.name(), call.arguments(), sink, call.written());
        if (call.statusVariable() != null) {
            assign(frame, call.statusVariable(), status);
        }
        sink.returnStatus(status);
        sink.done(-1);
    }

    /** Dynamic SQL fails as a statement of the calling batch. */
    private static List<Stmt> parseDynamic(String sql) {
        try {
            return Parser.parse(sql);
        } catch (Parser.ParseError e) {
            throw e.error;
        }
    }

    private void assign(Frame frame, String variable, Object value) {
        Parameter p = variable(frame, variable);
        frame.variables.put(key(p.name()), new Parameter(p.name(), p.type(), Values.coerce(value, p.type()), p.output()));
    }

    private Object evaluateIn(List<Token> expression, Frame frame) {
        Object constant = constant(expression);
        if (constant != NOT_CONSTANT) {
            return constant;
        }
        List<Token> query = new ArrayList<>();
        query.add(new Token(Token.Kind.WORD, "SELECT", 0));
        query.addAll(expression);
        return scalarIn(query, expression, frame);
    }

    /** Runs a registered procedure (or a system procedure the engine itself answers) in this session's transaction. */
    private int invoke(List<String> name, List<ProcedureCall.Argument> arguments, ResultSink sink, String written) {
        String last = name.get(name.size() - 1).toLowerCase(Locale.ROOT);
        if (last.equals("sp_unprepare") || last.equals("sp_reset_connection")) {
            // prepared handles live in the TDS layer; unpreparing through a batch has nothing to free here
            return 0;
        }
        Procedure procedure = db.procedure(name);
        if (procedure == null) {
            throw SqlError.of(2812, "Could not find stored procedure '" + written + "'.");
        }
        tx.touched();
        try {
            return procedure.call(new ProcedureCall(conn, db.name(), List.copyOf(arguments), sink));
        } finally {
            db.schemasMayHaveChanged();
        }
    }

    /** {@code EXEC sp_executesql @stmt, N'@a int, @r int OUTPUT', @a = 1, @r = @x OUTPUT} from T-SQL. */
    private int executeSql(ExecCall call, Frame frame, ResultSink sink) {
        List<ProcedureCall.Argument> arguments = call.arguments();
        if (arguments.isEmpty() || arguments.get(0).value() == null) {
            throw new SqlError(214, 2, 16, "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'.");
        }
        List<Parameter> declared = ExecCall.executeSqlParameters(arguments);
        Frame inner = new Frame(null);
        for (Parameter p : declared) {
            inner.variables.put(key(p.name()), p);
        }
        runBatch(parseDynamic(arguments.get(0).value().toString()), inner, sink);
        for (ExecCall.Output out : call.outputs()) {
            int position = out.position() - 2;
            Parameter source = out.parameter() != null ? inner.variables.get(key("@" + out.parameter()))
                    : position >= 0 && position < declared.size() ? inner.variables.get(key(declared.get(position).name())) : null;
            if (source != null && out.variable().startsWith("@")) {
                assign(frame, out.variable(), source.value());
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- RAISERROR / THROW

    private void raise(Stmt.Raise r, Frame frame, ResultSink sink) {
        List<Token> ts = r.tokens();
        if (r.isThrow() && ts.isEmpty()) {
            if (frame.caught == null) {
                throw SqlError.of(10704, "To rethrow an error, a THROW statement must be used inside a CATCH block.");
            }
            throw frame.caught;
        }
        List<Token> inner = !ts.isEmpty() && ts.get(0).isSymbol("(") ? ts.subList(1, Translator.matching(ts, 0, ts.size())) : ts;
        List<Token> w = ExecCall.parenthesized(inner);
        List<Object> args = new ArrayList<>();
        for (int[] range : Translator.arguments(w, 0, w.size() - 1)) {
            args.add(evaluateIn(w.subList(range[0], range[1]), frame));
        }
        if (r.isThrow()) {
            if (args.size() < 3) {
                throw SqlError.of(102, "Incorrect syntax near 'THROW'.");
            }
            throw new SqlError(((Number) args.get(0)).intValue(), ((Number) args.get(2)).intValue(), 16, String.valueOf(args.get(1)));
        }
        if (args.size() < 3) {
            throw SqlError.of(102, "Incorrect syntax near 'RAISERROR'.");
        }
        String message = String.valueOf(args.get(0));
        for (int k = 3; k < args.size(); k++) {
            message = message.replaceFirst("%[-+ 0#]*\\d*(?:\\.\\d+)?[dsiuxXo]", java.util.regex.Matcher.quoteReplacement(String.valueOf(args.get(k))));
        }
        int severity = ((Number) args.get(1)).intValue();
        int state = ((Number) args.get(2)).intValue();
        if (severity <= 10) {
            sink.info(50000, message);
            sink.done(-1);
            return;
        }
        throw new SqlError(50000, state, severity, message);
    }
}
