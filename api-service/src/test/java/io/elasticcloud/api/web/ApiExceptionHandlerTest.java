package io.elasticcloud.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.InvalidMimeTypeException;

/** A malformed media type that reached Spring's own parser, by whatever path, is the caller's usage error. */
class ApiExceptionHandlerTest {
    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void aMediaTypeSpringCannotParseIsUsageNotASystemFailure() {
        for (Exception e : new Exception[] {new InvalidMediaTypeException(",", "'mimeType' must not be empty"),
                new InvalidMimeTypeException(";", "does not contain '/'")}) {
            ResponseEntity<byte[]> reply = handler.unexpected(e, new MockHttpServletRequest());
            assertThat(reply.getStatusCode().value()).as(e.toString()).isEqualTo(400);
            assertThat(reply.getHeaders().getFirst(ErrorReplies.HEADER)).isEqualTo("usage");
        }
    }
}
