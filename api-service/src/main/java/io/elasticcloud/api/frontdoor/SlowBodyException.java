package io.elasticcloud.api.frontdoor;

import java.io.IOException;

/** A request body that arrived slower than the minimum rate: the request is given up. */
public final class SlowBodyException extends IOException {
    public SlowBodyException(String message) {
        super(message);
    }
}
