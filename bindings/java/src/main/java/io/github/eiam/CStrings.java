package io.github.eiam;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Java strings to C and back, as UTF-8. The rule for null: a required
 * argument that is null is a NullPointerException naming it; the optional
 * ones (documented as such) are sent as NULL.
 */
final class CStrings {
    private CStrings() {}

    /** {@code value} as a NUL-terminated C string in {@code arena}; NPE naming {@code name} if null. */
    static MemorySegment required(Arena arena, String name, String value) {
        Objects.requireNonNull(value, name);
        return arena.allocateFrom(checked(name, value));
    }

    /** As {@link #required}, but null is sent as NULL. */
    static MemorySegment optional(Arena arena, String name, String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(checked(name, value));
    }

    /**
     * {@code value} if C can carry it unchanged. An embedded NUL would end
     * the string early in C (naming another account), and a lone surrogate
     * would be encoded as '?': both are refused, naming the argument and
     * never echoing the value (it may be a secret).
     */
    static String checked(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw EiamException.refused(name + " must not contain NUL characters");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw EiamException.refused(name + " is not valid Unicode text (it contains a lone surrogate)");
                }
                i++;
            }
        }
        return value;
    }

    /** The C string at {@code pointer}, or null for NULL. The library still owns it. */
    static String read(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
