package io.github.eiam;

import java.lang.foreign.MemorySegment;

/**
 * The outcome of a call: {@code enum eiam_status} of include/eiam.h, with
 * the header's numbers (HeaderTest compares them). The library's own name
 * of each status is {@link #libraryName()}.
 */
public enum Status {
    OK(0),
    INVALID_ARGUMENT(1),
    API_ERROR(2),
    AUTH_ERROR(3),
    TRANSPORT_ERROR(4),
    TIMEOUT(5),
    PROTOCOL_ERROR(6),
    INTERNAL_ERROR(7),
    CANCELLED(8);

    private final int number;

    Status(int number) {
        this.number = number;
    }

    /** The header's number of this status. */
    public int number() {
        return number;
    }

    /** The name the library's messages use: "api", "timeout", ... ({@code eiam_status_name}). */
    public String libraryName() {
        try {
            MemorySegment name = (MemorySegment) Native.eiam_status_name.invokeExact(number);
            return CStrings.read(name);
        } catch (Throwable t) {
            throw Calls.unexpected(t);
        }
    }

    /**
     * The status of a number the library returned. A number this binding
     * does not know means the library is newer than the binding: an
     * internal error, whose text (from the library) still says what it is.
     */
    static Status of(int number) {
        for (Status s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        return INTERNAL_ERROR;
    }
}
