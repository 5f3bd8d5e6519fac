/**
 * The emulator's SQL side: T-SQL in, SQL Server-shaped results out, H2 underneath.
 *
 * <p>The contracts ({@link io.dstream.mssql.emulator.engine.Engine}, {@link io.dstream.mssql.emulator.engine.Session},
 * {@link io.dstream.mssql.emulator.engine.ResultSink}, {@link io.dstream.mssql.emulator.engine.DatabaseContext}, …)
 * are shared with the TDS server and the CDC feature. The implementation follows a batch through:
 * <ol>
 *   <li>{@code Lexer} — tokens, knowing T-SQL quoting ({@code N'…'}, {@code [..]}, nested comments);</li>
 *   <li>{@code Parser} — statements without needing semicolons, control flow as a tree
 *       ({@code Stmt});</li>
 *   <li>{@code H2Session} — interprets control flow, variables, EXEC, USE, SET options in Java;
 *       {@code SessionTransaction} decides every commit and rollback and tells the listeners;</li>
 *   <li>{@code Translator} — the rest becomes H2 SQL: variables as typed parameters, schema
 *       case, SQL Server functions; {@code DdlTranslator} maps DDL types (the declared types are
 *       kept in {@code H2Database}); {@code DmlRewrites} handles OUTPUT and SELECT … INTO;</li>
 *   <li>{@code Results}/{@code Values} — rows typed as SQL Server types them; {@code Errors} —
 *       H2 failures as SQL Server error numbers and texts;</li>
 *   <li>{@code Catalog} — {@code sys.*} and {@code INFORMATION_SCHEMA} views, computed per query.</li>
 * </ol>
 *
 * <p>Known differences from SQL Server (each fails loudly or gives the same data):
 * <ul>
 *   <li>an error ends the batch (SQL Server continues after some statement errors);</li>
 *   <li>DDL inside a transaction commits at once (H2), and so does SET IDENTITY_INSERT … OFF
 *       (it reseeds the identity); USE inside a transaction is refused;</li>
 *   <li>SELECT … INTO reports no row count; its new table's columns are typed from H2's types;</li>
 *   <li>not supported, with an error naming the construct: OUTPUT … INTO, OUTPUT in MERGE,
 *       OUTPUT of both INSERTED and DELETED, CROSS/OUTER APPLY,
 *       table variables, cursors, CREATE PROCEDURE/FUNCTION/TRIGGER, filtered indexes,
 *       SET ROWCOUNT n, cross-database names;</li>
 *   <li>{@code #temp} tables are ordinary tables visible to all sessions;</li>
 *   <li>no permission model: GRANT/REVOKE/DENY and CREATE/ALTER/DROP USER, LOGIN, ROLE are
 *       accepted without effect (and logged);</li>
 *   <li>trailing spaces count in string comparisons ({@code 'a ' = 'a'} is false; SQL Server
 *       pads the shorter string);</li>
 *   <li>string literals type as nvarchar; DATALENGTH counts 2 bytes per character;
 *       CONVERT styles 121/126 print 3 or 7 fractional digits by value, not by declared scale;</li>
 *   <li>a lock wait ends after 60 s (SQL Server's default waits forever).</li>
 * </ul>
 */
package io.dstream.mssql.emulator.engine;
