package io.github.eiam;

/** One {@code name=value} of a raw request's query string; the library encodes both. */
public record QueryParam(String name, String value) {
    public static QueryParam of(String name, String value) {
        return new QueryParam(name, value);
    }
}
