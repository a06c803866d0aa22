package io.elasticcloud.api.web;

import io.elasticcloud.api.web.codec.Format;
import io.elasticcloud.api.web.codec.Properties;
import io.elasticcloud.api.web.codec.Render;
import io.elasticcloud.api.web.codec.Rendered;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * Reading a command's key/value body and answering in the format the caller asked for: the glue
 * between the servlet request and the pure codecs.
 */
public final class Exchange {
    /** Key/value bodies are small; anything larger is not a configuration. */
    static final int MAX_PROPERTIES_BODY = 1024 * 1024;
    public static final String OUTPUT_HEADER = "X-Elastic-Output";

    private Exchange() {
    }

    public static Map<String, String> properties(HttpServletRequest request) {
        return Properties.parse(body(request), Format.ofContentType(request.getContentType()));
    }

    public static ResponseEntity<byte[]> object(HttpServletRequest request, Map<String, String> object) {
        return reply(Render.object(object, accepted(request)));
    }

    public static ResponseEntity<byte[]> objects(HttpServletRequest request, List<Map<String, String>> objects) {
        return reply(Render.objects(objects, accepted(request)));
    }

    public static ResponseEntity<byte[]> list(HttpServletRequest request, List<String> keys,
                                              List<Map<String, String>> items) {
        return reply(Render.list(keys, items, accepted(request)));
    }

    public static ResponseEntity<byte[]> noContent() {
        return ResponseEntity.noContent().build();
    }

    private static Format accepted(HttpServletRequest request) {
        return Format.ofAccept(request.getHeader(HttpHeaders.ACCEPT));
    }

    private static ResponseEntity<byte[]> reply(Rendered rendered) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, rendered.contentType())
                .header(OUTPUT_HEADER, rendered.outputHeader())
                .body(rendered.body());
    }

    private static byte[] body(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_PROPERTIES_BODY + 1);
            if (body.length > MAX_PROPERTIES_BODY) {
                throw ElasticException.usage("the request body is larger than %d bytes", MAX_PROPERTIES_BODY);
            }
            return body;
        } catch (IOException e) {
            throw ElasticException.usage("the request body could not be read");
        }
    }
}
