package io.dstream.mssql.emulator.cdc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The bytes of a staged row image: column names and values as the capture trigger received them.
 * The value types H2 hands a trigger for SQL Server's common column types have a compact tag of
 * their own; any other value is written with Java serialization. A Java-serialized image costs a
 * stream header and class descriptors per row, which made staging and capture CPU-bound under load.
 */
final class RowImage {

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte SHORT = 4;
    private static final byte BYTE = 5;
    private static final byte BOOLEAN = 6;
    private static final byte DOUBLE = 7;
    private static final byte FLOAT = 8;
    private static final byte DECIMAL = 9;
    private static final byte BYTES = 10;
    private static final byte UUID_VALUE = 11;
    private static final byte TIMESTAMP = 12;
    private static final byte DATE = 13;
    private static final byte TIME = 14;
    private static final byte SERIALIZED = 15;

    private RowImage() {
    }

    /** The first {@code min(names, values)} columns of a row; values must be Serializable if of no known type. */
    static byte[] encode(List<String> names, Object[] values) throws IOException {
        int count = Math.min(names.size(), values.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 24 * count);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeUTF(names.get(i));
            write(out, values[i]);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Column name → value, in column order. */
    static Map<String, Object> decode(byte[] image) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(image));
        int count = in.readInt();
        Map<String, Object> row = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            row.put(in.readUTF(), read(in));
        }
        return row;
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (v instanceof Integer n) {
            out.writeByte(INT);
            out.writeInt(n);
        } else if (v instanceof Long n) {
            out.writeByte(LONG);
            out.writeLong(n);
        } else if (v instanceof Short n) {
            out.writeByte(SHORT);
            out.writeShort(n);
        } else if (v instanceof Byte n) {
            out.writeByte(BYTE);
            out.writeByte(n);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v.getClass() == BigDecimal.class) {
            BigDecimal d = (BigDecimal) v;
            out.writeByte(DECIMAL);
            out.writeInt(d.scale());
            writeBytes(out, d.unscaledValue().toByteArray());
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            writeBytes(out, b);
        } else if (v instanceof UUID u) {
            out.writeByte(UUID_VALUE);
            out.writeLong(u.getMostSignificantBits());
            out.writeLong(u.getLeastSignificantBits());
        } else if (v.getClass() == java.sql.Timestamp.class) {
            java.sql.Timestamp t = (java.sql.Timestamp) v;
            out.writeByte(TIMESTAMP);
            out.writeLong(t.getTime());
            out.writeInt(t.getNanos());
        } else if (v.getClass() == java.sql.Date.class) {
            out.writeByte(DATE);
            out.writeLong(((java.sql.Date) v).getTime());
        } else if (v.getClass() == java.sql.Time.class) {
            out.writeByte(TIME);
            out.writeLong(((java.sql.Time) v).getTime());
        } else if (v instanceof Serializable) {
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(serialized)) {
                o.writeObject(v);
            }
            out.writeByte(SERIALIZED);
            writeBytes(out, serialized.toByteArray());
        } else {
            throw new IOException("a value of type " + v.getClass().getName() + " cannot be staged");
        }
    }

    private static Object read(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return readString(in);
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case SHORT:
                return in.readShort();
            case BYTE:
                return in.readByte();
            case BOOLEAN:
                return in.readBoolean();
            case DOUBLE:
                return in.readDouble();
            case FLOAT:
                return in.readFloat();
            case DECIMAL:
                int scale = in.readInt();
                return new BigDecimal(new BigInteger(readBytes(in)), scale);
            case BYTES:
                return readBytes(in);
            case UUID_VALUE:
                return new UUID(in.readLong(), in.readLong());
            case TIMESTAMP:
                java.sql.Timestamp t = new java.sql.Timestamp(in.readLong());
                t.setNanos(in.readInt());
                return t;
            case DATE:
                return new java.sql.Date(in.readLong());
            case TIME:
                return new java.sql.Time(in.readLong());
            case SERIALIZED:
                try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(readBytes(in)))) {
                    return o.readObject();
                } catch (ClassNotFoundException e) {
                    throw new IOException("staged value of an unknown class: " + e.getMessage(), e);
                }
            default:
                throw new IOException("unknown value tag " + tag + " in a staged row image");
        }
    }

    /** Strings of any length (writeUTF stops at 64 KB) as UTF-16 code units: lossless, lone surrogates too. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = new byte[s.length() * 2];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b[2 * i] = (byte) (c >>> 8);
            b[2 * i + 1] = (byte) c;
        }
        writeBytes(out, b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        char[] chars = new char[b.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF));
        }
        return new String(chars);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
