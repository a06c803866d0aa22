package io.elasticcloud.api.panel;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web pages: open to anyone (they hold no data), under a content security policy that lets
 * them run only their own script files; the pages' calls refused without the Basic challenge (no
 * browser dialog); and nothing else opened by them.
 */
class PanelPagesTest extends ApiTestBase {
    private static final Path PAGES = Path.of("src", "main", "resources", "panel");
    private static final String PAGE_CALL = "X-Requested-With";

    @Test
    void thePagesAreOpenAndCarryThePolicy() {
        HttpResponse<byte[]> root = anonymous.get("/panel/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/panel/index.html"));

        for (String page : new String[] {"/panel/index.html", "/panel/admin.html"}) {
            HttpResponse<byte[]> html = anonymous.get(page);
            assertThat(html.statusCode()).as(page).isEqualTo(200);
            assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(html.headers().firstValue("Content-Security-Policy")).hasValue(PanelPages.CONTENT_SECURITY_POLICY);
            assertThat(html.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(html.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(html.headers().map()).doesNotContainKey("set-cookie");
        }
        HttpResponse<byte[]> script = anonymous.get("/panel/panel.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
    }

    @Test
    void thePagesCallsAreRefusedWithoutTheChallenge() {
        ApiClient wrong = anonymous.as(user, "not-the-key");
        HttpResponse<byte[]> page = wrong.get("/drives/list", PAGE_CALL, "XMLHttpRequest");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("X-Elastic-Error")).hasValue("auth");
        assertThat(page.headers().firstValue("WWW-Authenticate")).isEmpty();
        // a customer's key on an admin call (refused by the access check, not the authentication)
        HttpResponse<byte[]> denied = api.get("/actuator/hosts", PAGE_CALL, "XMLHttpRequest");
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.headers().firstValue("WWW-Authenticate")).isEmpty();

        // every other client is challenged as before
        assertThat(wrong.get("/drives/list").headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        assertThat(wrong.get("/drives/list", PAGE_CALL, "fetch").headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(api.get("/actuator/hosts").headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void thePagesOpenNothingElse() {
        // only GET of the pages' own files is open
        assertThat(anonymous.post("/panel/index.html", "").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/panel/a/b.js").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/panel/%2e%2e/drives/list").statusCode()).isIn(400, 401, 404);
        assertThat(anonymous.get("/panel/missing.js").statusCode()).isEqualTo(404);
        // the API itself still wants credentials, whatever the path's neighbours
        assertThat(anonymous.get("/drives/list").statusCode()).isEqualTo(401);
        assertThat(ApiClient.text(api.get("/panel/index.html"))).contains("<title>");
    }

    /**
     * What the pages show of the API's data never becomes markup: no script writes HTML, no page
     * has an inline script or handler (the policy would refuse them; this keeps them from being
     * written in the first place), and nothing is fetched from another origin.
     */
    @Test
    void thePagesWriteApiDataAsTextOnly() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.list(PAGES)) {
            files = all.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("index.html", "admin.html", "api.js", "dom.js", "panel.js", "upload.js");
        Pattern markup = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|setAttribute\\(\\s*['\"]on");
        Pattern inline = Pattern.compile("<script(?![^>]*\\bsrc=)|\\son[a-z]+\\s*=|javascript:|style=", Pattern.CASE_INSENSITIVE);
        Pattern elsewhere = Pattern.compile("(src|href)=\"(https?:)?//|@import|url\\(\\s*['\"]?(https?:)?//");
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(markup.matcher(text).find()).as(file + " writes markup").isFalse();
            if (file.toString().endsWith(".html")) {
                assertThat(inline.matcher(text).find()).as(file + " has inline script or style").isFalse();
            }
            assertThat(elsewhere.matcher(text).find()).as(file + " loads from another origin").isFalse();
        }
    }
}
