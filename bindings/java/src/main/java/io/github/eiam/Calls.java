package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Runs C calls that report through an {@code eiam_error}, and turns a failure into an EiamException. */
final class Calls {
    private Calls() {}

    /** A C call given the {@code eiam_error *} to fill; returns its {@code eiam_status}. */
    @FunctionalInterface
    interface WithError {
        int call(MemorySegment err) throws Throwable;
    }

    /**
     * Runs {@code call} with a zeroed {@code eiam_error} from {@code arena}
     * and throws the EiamException it reports. The error's strings are
     * freed exactly once, by {@code eiam_error_clear}, whatever happens.
     */
    static void check(Arena arena, WithError call) {
        MemorySegment err = arena.allocate(Layouts.ERROR);
        try {
            int status = call.call(err);
            if (status != Status.OK.number()) {
                throw exception(err, status);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        } finally {
            release(Native.eiam_error_clear, err);
        }
    }

    /** A C call that also fills a {@code char **} out-parameter. */
    @FunctionalInterface
    interface WithStringOut {
        int call(MemorySegment out, MemorySegment err) throws Throwable;
    }

    /**
     * As {@link #check}, for a call that returns a string the caller frees:
     * it is copied and freed with {@code eiam_string_free}, also when the
     * call fails (the library then leaves NULL, which is ignored).
     */
    static String checkString(Arena arena, WithStringOut call) {
        MemorySegment out = arena.allocate(ADDRESS);
        String value;
        try {
            check(arena, err -> call.call(out, err));
        } finally {
            value = takeString(out);
        }
        return value;
    }

    /** The EiamException of a filled {@code eiam_error} (its strings stay the library's). */
    static EiamException exception(MemorySegment err, int status) {
        return EiamException.of(Status.of(status),
                Short.toUnsignedInt(err.get(JAVA_SHORT, Layouts.ERROR_HTTP_STATUS)),
                CStrings.read(err.get(ADDRESS, Layouts.ERROR_CODE)),
                CStrings.read(err.get(ADDRESS, Layouts.ERROR_MESSAGE)),
                text(err));
    }

    /** The status of a filled {@code eiam_error}. */
    static int status(MemorySegment err) {
        return err.get(JAVA_INT, Layouts.ERROR_STATUS);
    }

    /** {@code err} as the library writes it, through {@code eiam_error_to_string}. */
    private static String text(MemorySegment err) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) Native.eiam_error_to_string.invokeExact(err, out, MemorySegment.NULL);
            return status == Status.OK.number() ? takeString(out) : CStrings.read(err.get(ADDRESS, Layouts.ERROR_MESSAGE));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The string a call left in the {@code char **} slot {@code out}, freed with {@code eiam_string_free}. */
    static String takeString(MemorySegment out) {
        MemorySegment pointer = out.get(ADDRESS, 0);
        try {
            return CStrings.read(pointer);
        } finally {
            release(Native.eiam_string_free, pointer); // NULL-safe
        }
    }

    /** Calls a release function ({@code void f(T *)}): they never fail. */
    static void release(MethodHandle free, MemorySegment pointer) {
        try {
            free.invokeExact(pointer);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * A Throwable from invokeExact that is neither a RuntimeException nor an
     * Error: the handles' types are exact, so it cannot happen.
     */
    static AssertionError unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        return new AssertionError("unexpected checked exception from a downcall", t);
    }
}
