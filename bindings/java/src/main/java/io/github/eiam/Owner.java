package io.github.eiam;

/** The owner of a public account. */
public record Owner(String userId, String userName, boolean disabled) {}
