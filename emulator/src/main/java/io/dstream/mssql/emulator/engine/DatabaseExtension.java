package io.dstream.mssql.emulator.engine;

/** Something installed in every database when the engine creates it (the CDC feature is one). */
public interface DatabaseExtension {

    void install(DatabaseContext database);
}
