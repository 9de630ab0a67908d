package io.github.eiam;

/** A member of a public account. */
public record AccountUser(String id, String userName, boolean disabled) {}
