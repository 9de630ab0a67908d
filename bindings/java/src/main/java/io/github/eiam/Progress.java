package io.github.eiam;

/**
 * Told after each item of a bulk job, one call at a time, on one of the
 * library's worker threads. Return false to cancel the items not yet
 * started. An exception it throws cancels them too, and is thrown again by
 * {@link Client#bindPublicAccountOwners} once the job is over (nothing may
 * unwind through the library's frames).
 */
@FunctionalInterface
public interface Progress {
    boolean onProgress(long done, long total, long failures);
}
