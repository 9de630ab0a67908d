package io.github.eiam;

/**
 * One item's outcome: its {@code accountId}, or its {@code error}
 * ({@link EiamException.Cancelled} for an item the job never started).
 */
public record BindResult(String accountId, EiamException error) {
    public boolean ok() {
        return error == null;
    }
}
