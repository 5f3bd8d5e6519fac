"""A second, independent TDS client for the emulator: python3-tds (pytds).

Usage: pytds_client.py HOST PORT DATABASE USER PASSWORD
Prints one "name=repr(value)" line per check on stdout; the Java test parses them.
"""
import datetime
import decimal
import sys
import uuid

import pytds

host, port, database, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]


def out(name, value):
    print("%s=%r" % (name, value), flush=True)


with pytds.connect(host, port=port, database=database, user=user, password=password, autocommit=True) as conn:
    out("tds_version", hex(conn.tds_version))
    with conn.cursor() as cur:
        cur.execute("SELECT 1 AS one")
        out("select_one", cur.fetchone()[0])

        cur.execute("CREATE TABLE py_t (id INT PRIMARY KEY, name NVARCHAR(50), amount DECIMAL(38,10),"
                    " at DATETIME2(7), data VARBINARY(10), flag BIT, u UNIQUEIDENTIFIER, big BIGINT, d DATE)")
        cur.execute("INSERT INTO py_t VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (1, "h\u00e9llo \u2713", decimal.Decimal("1234567890123456789012345678.0123456789"),
                     datetime.datetime(2024, 5, 1, 10, 11, 12, 123456), pytds.Binary(b"\x01\x02\xff"), True,
                     uuid.UUID("00112233-4455-6677-8899-aabbccddeeff"), -9223372036854775808,
                     datetime.date(1, 1, 1)))
        out("insert_rowcount", cur.rowcount)
        cur.execute("SELECT id, name, amount, at, data, flag, u, big, d FROM py_t WHERE id = %s", (1,))
        row = cur.fetchone()
        for name, value in zip(["id", "name", "amount", "at", "data", "flag", "u", "big", "d"], row):
            out("row_" + name, value)
        out("columns", [c[0] for c in cur.description])

        try:
            cur.execute("INSERT INTO py_t (id) VALUES (1)")
            out("duplicate_error", None)
        except pytds.Error as e:
            out("duplicate_error", e.number)
        cur.execute("SELECT COUNT(*) FROM py_t")
        out("after_error_count", cur.fetchone()[0])

        outputs = cur.callproc("dbo.add_numbers", {"@a": 2, "@b": 40,
                                                   "@sum": pytds.output(param_type="int"),
                                                   "@label": pytds.output(param_type="nvarchar(50)")})
        out("proc_rows", cur.fetchall())
        # pytds 1.8's get_proc_outputs() lists outputs by RETURNVALUE ordinal, which counts the
        # input parameters too (MS-TDS: the position in the RPC call); read the ordinals directly.
        cur._session.complete_rpc()
        out("proc_outputs", sorted((k, p.value) for k, p in cur._session.output_params.items()))
        out("proc_status", cur.get_proc_return_status())

# autocommit=False: pytds begins and ends transactions with TRANSACTION_MANAGER requests.
with pytds.connect(host, port=port, database=database, user=user, password=password, autocommit=False) as conn:
    with conn.cursor() as cur:
        cur.execute("INSERT INTO py_t (id) VALUES (2)")
        conn.rollback()
        cur.execute("INSERT INTO py_t (id) VALUES (3)")
        conn.commit()
        cur.execute("SELECT id FROM py_t ORDER BY id")
        out("tx_ids", [r[0] for r in cur.fetchall()])
        conn.commit()
out("done", True)
