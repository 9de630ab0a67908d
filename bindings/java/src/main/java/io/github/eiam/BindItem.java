package io.github.eiam;

/** One binding of {@link Client#bindPublicAccountOwners}: make {@code userName} the owner of {@code appUserId}. */
public record BindItem(String appId, String appUserId, String userName) {}
