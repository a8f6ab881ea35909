package dev.lb.runtime.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/** A single value: its text as written and the YAML type it was read as. */
public final class ConfigScalar extends ConfigNode {

    /** The YAML type of a scalar: {@code "5"} is a string, {@code 5} an integer, {@code ~} a null. */
    public enum Type {
        STRING, INTEGER, FLOAT, BOOLEAN, NULL
    }

    private final Type type;
    private final String text;
    private final Object value;

    ConfigScalar(String path, SourceLocation location, Type type, String text, Object value) {
        super(path, location);
        this.type = Objects.requireNonNull(type, "type");
        this.text = Objects.requireNonNull(text, "text");
        this.value = value;
    }

    static ConfigScalar ofJava(String path, Object value) {
        return switch (value) {
            case null -> new ConfigScalar(path, null, Type.NULL, "null", null);
            case String s -> new ConfigScalar(path, null, Type.STRING, s, s);
            case Boolean b -> new ConfigScalar(path, null, Type.BOOLEAN, b.toString(), b);
            case Integer i -> integer(path, i.longValue());
            case Long l -> integer(path, l);
            case Short s -> integer(path, s.longValue());
            case Byte b -> integer(path, b.longValue());
            case BigInteger big -> new ConfigScalar(path, null, Type.INTEGER, big.toString(), big);
            case Double d -> new ConfigScalar(path, null, Type.FLOAT, d.toString(), d);
            case Float f -> new ConfigScalar(path, null, Type.FLOAT, f.toString(), f.doubleValue());
            case BigDecimal dec -> new ConfigScalar(path, null, Type.FLOAT, dec.toString(), dec.doubleValue());
            case Duration d -> {
                String text = Durations.format(d);
                yield new ConfigScalar(path, null, Type.STRING, text, text);
            }
            default -> throw new IllegalArgumentException("cannot use a " + value.getClass().getName() + " at "
                    + displayPath(path) + ": use a Map, a Collection, a String, a Number, a Boolean or a Duration");
        };
    }

    private static ConfigScalar integer(String path, long value) {
        return new ConfigScalar(path, null, Type.INTEGER, Long.toString(value), BigInteger.valueOf(value));
    }

    /** The YAML type the value was read as. */
    public Type type() {
        return type;
    }

    /** The value as written, e.g. {@code 2s}, {@code 5}, {@code true}. */
    public String text() {
        return text;
    }

    /** Whether the value is an explicit null ({@code ~}, {@code null} or nothing after the colon). */
    public boolean isNull() {
        return type == Type.NULL;
    }

    /** The integer value; only for {@link Type#INTEGER}. */
    BigInteger integerValue() {
        return (BigInteger) value;
    }

    /** The numeric value; only for {@link Type#INTEGER} and {@link Type#FLOAT}. */
    double doubleValue() {
        return value instanceof BigInteger big ? big.doubleValue() : (Double) value;
    }

    /** The boolean value; only for {@link Type#BOOLEAN}. */
    boolean booleanValue() {
        return (Boolean) value;
    }

    @Override
    public String describe() {
        return switch (type) {
            case STRING -> '"' + text + '"';
            case NULL -> "an empty value";
            default -> text;
        };
    }
}
