package io.dstream.mssql.emulator.engine;

import java.util.List;

/**
 * One parsed T-SQL statement. Control flow, variables and transaction statements are
 * interpreted in Java; {@link Sql} statements are translated to H2.
 */
sealed interface Stmt {

    /** The source line the statement starts on (for error messages and init scripts). */
    int line();

    /** A statement H2 runs after translation (SELECT, DML, DDL). {@code tokens} excludes a trailing {@code ;}. */
    record Sql(List<Token> tokens, int line) implements Stmt {
        String keyword() {
            return tokens.get(0).upper();
        }
    }

    record Block(List<Stmt> body, int line) implements Stmt {
    }

    record If(List<Token> condition, Stmt then, Stmt otherwise, int line) implements Stmt {
    }

    record While(List<Token> condition, Stmt body, int line) implements Stmt {
    }

    record TryCatch(Block tryBlock, Block catchBlock, int line) implements Stmt {
    }

    /** {@code DECLARE @a int = 1, @b nvarchar(10)}. */
    record Declare(List<Variable> variables, int line) implements Stmt {
        record Variable(String name, SqlType type, List<Token> initializer) {
        }
    }

    /**
     * {@code DECLARE @t TABLE (col type [NULL | NOT NULL], …)}; {@code columns} are the tokens between the
     * parentheses, which are included.
     */
    record DeclareTable(String name, List<Token> columns, int line) implements Stmt {
    }

    /** {@code SET @x = expr} (also {@code +=} and friends). */
    record SetVariable(String name, String operator, List<Token> expression, int line) implements Stmt {
    }

    /** {@code SET NOCOUNT ON}, {@code SET TRANSACTION ISOLATION LEVEL …} and the other session options. */
    record SetOption(List<Token> tokens, int line) implements Stmt {
    }

    /** {@code EXEC[UTE] proc args} or {@code EXEC (N'sql')}; tokens exclude the EXEC keyword. */
    record Exec(List<Token> tokens, int line) implements Stmt {
    }

    record Print(List<Token> expression, int line) implements Stmt {
    }

    record Use(String database, int line) implements Stmt {
    }

    record BeginTran(int line) implements Stmt {
    }

    record CommitTran(int line) implements Stmt {
    }

    /** {@code ROLLBACK [TRAN [name]]}; {@code savepoint} is null for a full rollback. */
    record RollbackTran(String savepoint, int line) implements Stmt {
    }

    record SaveTran(String name, int line) implements Stmt {
    }

    record Return(int line) implements Stmt {
    }

    record Break(int line) implements Stmt {
    }

    record Continue(int line) implements Stmt {
    }

    /** {@code THROW number, message, state} or {@code RAISERROR(msg, severity, state)}. */
    record Raise(List<Token> tokens, boolean isThrow, int line) implements Stmt {
    }
}
