package io.dstream.mssql.ingester.locking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LockBlobNamesTest {

    @Test
    void layoutIsTablesServerDatabaseSchemaTableWithEachPartEncoded() {
        assertThat(LockBlobNames.table(new LockKey("sql1.example.com,1433", "Sales", "dbo", "order lines")))
                .isEqualTo("tables/sql1%2Eexample%2Ecom%2C1433/sales/dbo/order%20lines.lock");
    }

    @Test
    void separatorsInsideAPartCannotMakeTwoKeysCollide() {
        List<LockKey> keys = List.of(
                new LockKey("s", "d", "dbo.a", "b"),
                new LockKey("s", "d", "dbo", "a.b"),
                new LockKey("s", "d/dbo", "a", "b"),
                new LockKey("s/d", "dbo", "a", "b"),
                new LockKey("s", "d", "dbo", "a/b"),
                new LockKey("s", "d", "dbo", "a%2Fb"),
                new LockKey("s", "d", "dbo", "a.lock"));

        assertThat(keys.stream().map(LockBlobNames::table)).doesNotHaveDuplicates();
    }

    @Test
    void namesDifferingOnlyInCaseShareALockAsInSqlServersDefaultCollation() {
        assertThat(LockBlobNames.table(new LockKey("SQL1", "Sales", "DBO", "Customers")))
                .isEqualTo(LockBlobNames.table(new LockKey("sql1", "sales", "dbo", "customers")));
    }

    @Test
    void noPartCanBecomeADotSegmentAndNonAsciiIsEncodedAsUtf8() {
        assertThat(LockBlobNames.table(new LockKey("..", ".", "dbo", "ümlaut")))
                .isEqualTo("tables/%2E%2E/%2E/dbo/%C3%BCmlaut.lock");
    }

    @Test
    void aNameOverAzuresLimitIsReplacedByItsHash() {
        String longName = "x".repeat(128);
        LockKey key = new LockKey("\u4e00".repeat(128), longName, longName, longName);

        String name = LockBlobNames.table(key);

        assertThat(name).hasSizeLessThan(1024).startsWith("tables/sha256-").endsWith(".lock");
        assertThat(LockBlobNames.table(new LockKey("\u4e00".repeat(128), longName, longName, longName + "y"))).isNotEqualTo(name);
    }
}
