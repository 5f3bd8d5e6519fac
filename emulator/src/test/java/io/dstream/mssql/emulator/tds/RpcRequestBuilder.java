package io.dstream.mssql.emulator.tds;

import io.dstream.mssql.emulator.engine.SqlType;

/** Builds RPC request payloads for the raw-client tests: several calls, separated by the batch flag. */
final class RpcRequestBuilder {

    private final ByteWriter.Scratch body = new ByteWriter.Scratch();
    private boolean first = true;

    RpcRequestBuilder call(int procId) {
        separate();
        body.u16(Tds.USHORT_MAX);
        body.u16(procId);
        body.u16(0);
        return this;
    }

    RpcRequestBuilder call(String name) {
        separate();
        body.usVarchar(name);
        body.u16(0);
        return this;
    }

    RpcRequestBuilder param(String name, SqlType type, Object value) {
        return param(name, type, value, false);
    }

    RpcRequestBuilder output(String name, SqlType type, Object value) {
        return param(name, type, value, true);
    }

    private RpcRequestBuilder param(String name, SqlType type, Object value, boolean output) {
        body.bVarchar(name);
        body.u8(output ? 1 : 0);
        ValueEncoder.writeTypeInfo(body, type);
        ValueEncoder.writeValue(body, type, value);
        return this;
    }

    byte[] build() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        body.writeTo(new ByteWriter() {
            @Override
            void u8(int v) {
                bytes.write(v);
            }

            @Override
            void bytes(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }
        });
        return RawTdsClient.withAllHeaders(bytes.toByteArray());
    }

    private void separate() {
        if (!first) {
            body.u8(0x80);
        }
        first = false;
    }
}
