package io.elasticcloud.protocol;

/** The reply of a command that has nothing to say but that it was carried out. */
public record Done() {
    public static final Done INSTANCE = new Done();
}
