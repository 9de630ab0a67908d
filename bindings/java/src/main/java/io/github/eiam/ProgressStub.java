package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A {@link Progress} as a C {@code eiam_progress_fn}: an upcall stub bound
 * to this object (so {@code user_data} is unused). An exception escaping an
 * upcall would end the JVM, so it is caught here, cancels the job (returns
 * false), and is thrown again by {@link #rethrow} once the C call is over.
 */
final class ProgressStub {
    /** {@code bool (*)(void *user_data, size_t done, size_t total, size_t failures)}. */
    static final FunctionDescriptor PROGRESS_FN = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle ON_PROGRESS;

    static {
        try {
            ON_PROGRESS = MethodHandles.lookup().findVirtual(ProgressStub.class, "onProgress",
                    MethodType.methodType(boolean.class, MemorySegment.class, long.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Progress progress;
    // Written by a library worker thread; read by the caller after the C
    // call returns, which joined the workers.
    private volatile Throwable thrown;

    ProgressStub(Progress progress) {
        this.progress = progress;
    }

    /** The function pointer, valid while {@code arena} is open; NULL for no callback. */
    static MemorySegment pointer(ProgressStub stub, Arena arena) {
        if (stub == null) {
            return MemorySegment.NULL;
        }
        return Linker.nativeLinker().upcallStub(ON_PROGRESS.bindTo(stub), PROGRESS_FN, arena);
    }

    @SuppressWarnings("unused") // called from C through ON_PROGRESS
    private boolean onProgress(MemorySegment userData, long done, long total, long failures) {
        if (thrown != null) {
            return false;
        }
        try {
            return progress.onProgress(done, total, failures);
        } catch (Throwable t) {
            thrown = t;
            return false;
        }
    }

    /** Throws what the callback threw, if anything. */
    void rethrow() {
        Throwable t = thrown;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("the progress callback threw", t);
        }
    }
}
