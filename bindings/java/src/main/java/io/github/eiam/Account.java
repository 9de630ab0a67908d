package io.github.eiam;

/**
 * An application account.
 *
 * @param id the {@code accountId} of every call on it
 * @param name the display name, or null
 * @param orgId the application organization's id, or null
 * @param accountType {@code "BASIC_ACCOUNT"}, {@code "ORPHAN_ACCOUNT"} or {@code "PUBLIC_ACCOUNT"}, as sent
 * @param extension custom attributes, the text of a JSON object ({@code "{}"} for none)
 */
public record Account(String id, String accountName, String name, String orgId, String accountType, boolean disabled,
        String extension) {}
