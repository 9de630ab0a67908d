package io.github.eiam;

/** Whether a raw {@link Client#request} may be retried like a read. */
public enum Idempotency {
    /** GET, PUT and DELETE are; POST and PATCH only when they certainly did not arrive. */
    BY_METHOD(0),
    /** Retried like a read, whatever the method. */
    IDEMPOTENT(2),
    /** Only retried when it certainly did not arrive. */
    NOT_IDEMPOTENT(1);

    /** {@code EIAM_BOOL_UNSET}, {@code EIAM_BOOL_TRUE} or {@code EIAM_BOOL_FALSE}. */
    final int cBool;

    Idempotency(int cBool) {
        this.cBool = cBool;
    }
}
