package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A listing larger than the response buffer goes out while it is written, without its length (an
 * answer built whole in memory first always has one), in both formats, every object in order; a
 * small listing, whole in the buffer at its end, still goes with its length, as before.
 */
class StreamedListingsTest extends ApiTestBase {
    private static final int DRIVES = 24;
    /** Four user keys of 500 characters: about 2 KB per drive, so the listing is far past 8 KiB. */
    private static final String KEYS = "user:a " + "a".repeat(500) + "\nuser:b " + "b".repeat(500) + "\nuser:c "
            + "c".repeat(500) + "\nuser:d " + "d".repeat(500) + "\n";

    @Test
    void aLargeListingIsWrittenAsItIsReadAndASmallOneKeepsItsLength() {
        List<String> drives = new ArrayList<>();
        drives.add(create());
        for (String path : new String[] {"/drives/list", "/drives/info"}) {
            HttpResponse<byte[]> small = api.get(path);
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.headers().firstValue("Content-Length")).as(path + " of one drive").isPresent();
        }
        while (drives.size() < DRIVES) {
            drives.add(create());
        }

        HttpResponse<byte[]> text = api.get("/drives/info");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body().length).isGreaterThan(DRIVES * 2000);
        assertThat(text.headers().firstValue("Content-Length")).as("text listing of %d drives", DRIVES).isEmpty();
        assertThat(text.headers().firstValue("X-Elastic-Output")).hasValue("properties");
        assertThat(ApiClient.text(text).split("\n\n")).extracting(block -> properties(block).get("drive"))
                .containsExactlyElementsOf(drives);

        HttpResponse<byte[]> json = api.get("/drives/info", "Accept", "application/json");
        assertThat(json.headers().firstValue("Content-Length")).as("JSON listing of %d drives", DRIVES).isEmpty();
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        String body = ApiClient.text(json);
        assertThat(body).startsWith("[{").endsWith("}]");
        for (String drive : drives) {
            assertThat(body).contains("\"drive\":\"" + drive + "\"");
        }
        assertThat(body.indexOf(drives.get(0))).isLessThan(body.indexOf(drives.get(DRIVES - 1)));
    }

    private String create() {
        HttpResponse<byte[]> created = api.post("/drives/create", "name d\nsize 1M\n" + KEYS);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created).get("drive");
    }
}
