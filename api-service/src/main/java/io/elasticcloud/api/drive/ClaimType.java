package io.elasticcloud.api.drive;

import java.util.Locale;

/** Whether one server at a time may use a drive, or several. */
public enum ClaimType {
    EXCLUSIVE, SHARED;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
