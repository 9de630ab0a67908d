package io.github.eiam;

/**
 * Java has no unsigned int: a negative int would reach a C {@code uint32_t}
 * as a number above two billion. It is refused instead, naming the
 * argument. Every other bound (page sizes, retries) is the library's.
 */
final class Unsigned {
    private Unsigned() {}

    static int u32(String name, int value) {
        if (value < 0) {
            throw EiamException.refused(name + " must not be negative");
        }
        return value;
    }
}
