package io.elasticcloud.api.web;

import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;

/**
 * Every error of the API has one form, whatever format was asked for: the status, an
 * {@code X-Elastic-Error} header with the type, and one line of plain text for a person.
 */
public final class ErrorReplies {
    public static final String HEADER = "X-Elastic-Error";
    /**
     * Every 5xx body as served, at debug level: what a client was told, whichever client it was,
     * for a test harness to check that none tells our insides (off unless asked for).
     */
    private static final Logger served = LoggerFactory.getLogger("io.elasticcloud.api.web.ServedFailures");

    private ErrorReplies() {
    }

    public static ResponseEntity<byte[]> entity(ErrorType type, String message) {
        return ResponseEntity.status(type.status())
                .header(HEADER, type.header())
                .contentType(MediaType.TEXT_PLAIN)
                .body(line(type, message));
    }

    public static void write(HttpServletResponse response, ErrorType type, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(type.status());
        response.setHeader(HEADER, type.header());
        response.setHeader(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8");
        byte[] body = line(type, message);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    private static byte[] line(ErrorType type, String message) {
        String text = text(message);
        if (type.status() >= 500 && served.isDebugEnabled()) {
            served.debug("5xx body served: {} {}: {}", type.status(), type.header(), text.strip());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The body of an error: its one line for a person, ended by a newline. */
    public static String text(String message) {
        return ApiText.line(message == null || message.isBlank() ? "error" : message);
    }
}
