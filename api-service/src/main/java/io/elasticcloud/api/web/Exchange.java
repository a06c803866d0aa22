package io.elasticcloud.api.web;

import io.elasticcloud.api.web.codec.Format;
import io.elasticcloud.api.web.codec.Properties;
import io.elasticcloud.api.web.codec.Render;
import io.elasticcloud.api.web.codec.RenderStream;
import io.elasticcloud.api.web.codec.Rendered;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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

    /**
     * Several objects written as {@code rows} hands them over, one at a time: the answer is never
     * whole in memory. An error before its first bytes left (they go once the response buffer is
     * full) is answered as any error ({@link ApiExceptionHandler}); after that the connection ends
     * short. A small answer, all in the buffer at the end, still goes with its length.
     */
    public static void objects(HttpServletRequest request, HttpServletResponse response, Rows rows) throws IOException {
        stream(response, RenderStream.objects(accepted(request), response.getOutputStream()), rows);
    }

    /** A list ({@link #list}) written as {@link #objects(HttpServletRequest, HttpServletResponse, Rows)} writes objects. */
    public static void list(HttpServletRequest request, HttpServletResponse response, List<String> keys, Rows rows)
            throws IOException {
        stream(response, RenderStream.list(keys, accepted(request), response.getOutputStream()), rows);
    }

    /** A listing's objects, each handed to a sink as it is read. */
    @FunctionalInterface
    public interface Rows {
        void each(Consumer<Map<String, String>> sink);
    }

    private static void stream(HttpServletResponse response, RenderStream stream, Rows rows) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader(HttpHeaders.CONTENT_TYPE, stream.contentType());
        response.setHeader(OUTPUT_HEADER, stream.outputHeader());
        rows.each(stream);
        stream.finish();
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
