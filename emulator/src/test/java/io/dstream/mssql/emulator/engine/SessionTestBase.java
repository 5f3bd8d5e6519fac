package io.dstream.mssql.emulator.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh engine and one session on {@code testdb} for each test. */
abstract class SessionTestBase extends EngineTestSupport {

    protected H2Engine engine;
    protected Session session;

    @BeforeEach
    void openEngineSession() {
        engine = new H2Engine();
        session = engine.openSession("testdb", "sa", "x");
    }

    @AfterEach
    void closeEngineSession() {
        session.close();
        engine.close();
    }
}
