package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the test guest of {@code deploy/build-test-guest.sh} says and does: a data drive whose
 * first bytes are {@link #DATA} gets this boot's marker at 1 MiB, which the guest also prints on
 * its serial console ({@code MARKER disk=/dev/vdX ELASTIC-TEST-MARKER boot=UUID}).
 */
final class TestGuest {
    /** The first bytes of a data drive the guest writes its marker onto. */
    static final byte[] DATA = "ELASTIC-TEST-DATA".getBytes(StandardCharsets.US_ASCII);
    /** Printed once the guest has reported its devices and listens for the power button. */
    static final String READY = "ELASTIC-TEST-GUEST-READY";
    private static final int MARKER_OFFSET = 1024 * 1024;

    private TestGuest() {
    }

    /** The marker the guest's last boot wrote onto its virtio data drive {@code /dev/vda}, as its console reports it. */
    static String lastMarker(String console) {
        Matcher marker = Pattern.compile("MARKER disk=/dev/vda (ELASTIC-TEST-MARKER boot=[0-9a-f-]{36})").matcher(console);
        String last = null;
        while (marker.find()) {
            last = marker.group(1);
        }
        assertThat(last).as("the guest reports the marker it wrote to its virtio data drive").isNotNull();
        return last;
    }

    /** The marker line at 1 MiB of {@code drive}, read through the drive API. */
    static String readMarker(PlainHttp http, String auth, String drive) {
        PlainHttp.Reply read = http.get("/drives/" + drive + "/read/" + MARKER_OFFSET + "/4096", auth);
        assertThat(read.status()).as(read.describe()).isEqualTo(200);
        String text = new String(read.body(), StandardCharsets.US_ASCII);
        return text.substring(0, Math.max(0, text.indexOf('\n')));
    }
}
