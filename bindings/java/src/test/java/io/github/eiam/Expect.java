package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/** Assertions on the errors of the binding. */
final class Expect {
    private Expect() {}

    /** {@code call} throws {@code type} with this code and HTTP status. */
    static <E extends EiamException> E error(Class<E> type, String code, int httpStatus, Executable call) {
        E e = assertThrows(type, call);
        assertEquals(code, e.code(), "code");
        assertEquals(httpStatus, e.httpStatus(), "httpStatus");
        assertInstanceOf(EiamException.class, e);
        return e;
    }
}
