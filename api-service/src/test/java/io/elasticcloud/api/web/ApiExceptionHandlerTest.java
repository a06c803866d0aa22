package io.elasticcloud.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Incident;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.InvalidMimeTypeException;

/**
 * A malformed media type that reached Spring's own parser, by whatever path, is the caller's usage
 * error; a 500's words never reach the caller, only ours and an incident id; an error is answered
 * in place of what the failed call had begun of its own answer, or not at all once that was sent.
 */
class ApiExceptionHandlerTest {
    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void aMediaTypeSpringCannotParseIsUsageNotASystemFailure() {
        for (Exception e : new Exception[] {new InvalidMediaTypeException(",", "'mimeType' must not be empty"),
                new InvalidMimeTypeException(";", "does not contain '/'")}) {
            ResponseEntity<byte[]> reply = handler.unexpected(e, new MockHttpServletRequest(), new MockHttpServletResponse());
            assertThat(reply.getStatusCode().value()).as(e.toString()).isEqualTo(400);
            assertThat(reply.getHeaders().getFirst(ErrorReplies.HEADER)).isEqualTo("usage");
        }
    }

    /** The reported case: QEMU's refusal, with its -blockdev JSON and host paths, in a failed start. */
    private static final String QEMU_SAID = "server 5f1c did not start: internal error: process exited while connecting"
            + " to monitor: qemu-system-x86_64: -blockdev {\"driver\":\"file\",\"filename\":"
            + "\"/srv/cloud/data/volumes/pool-0/v-1.luks\"}: Could not open '/srv/cloud/data/volumes/pool-0/v-1.luks':"
            + " Permission denied";

    @Test
    void aFailedCommandAnswersOurWordsAndAnIncidentNotTheHypervisors() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/servers/5f1c/start");
        ResponseEntity<byte[]> reply = handler.elastic(ElasticException.failed("%s", QEMU_SAID), request, new MockHttpServletResponse());

        String body = new String(reply.getBody(), StandardCharsets.UTF_8);
        assertThat(reply.getStatusCode().value()).isEqualTo(500);
        assertThat(reply.getHeaders().getFirst(ErrorReplies.HEADER)).isEqualTo("failed");
        assertThat(body).startsWith("the host could not start the server (incident ")
                .doesNotContain("/srv", "blockdev", "qemu", "Permission");
        assertThat(Incident.in(body)).isPresent();
    }

    @Test
    void keepsTheIncidentTheNodeGaveOut() {
        Incident incident = Incident.next();
        ResponseEntity<byte[]> reply = handler.elastic(
                ElasticException.system("%s", incident.mark("node agent-0 failed to carry out StartServer")),
                new MockHttpServletRequest("POST", "/api/servers/create"), new MockHttpServletResponse());

        String body = new String(reply.getBody(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(incident.mark("the system could not create the server") + "\n");
        assertThat(reply.getHeaders().getFirst(ErrorReplies.HEADER)).isEqualTo("system");
    }

    @Test
    void anUntypedFailureAnswersAnIncidentWithoutItsText() {
        ResponseEntity<byte[]> reply = handler.unexpected(new IllegalStateException("/var/lib/elastic/db is locked"),
                new MockHttpServletRequest("POST", "/drives/d-1/write/0"), new MockHttpServletResponse());

        String body = new String(reply.getBody(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("the system could not write to the drive (incident ").doesNotContain("/var", "locked");
    }

    @Test
    void keepsTheWordsOfOtherErrors() {
        for (ErrorType type : new ErrorType[] {ErrorType.USAGE, ErrorType.MISSING, ErrorType.BUSY, ErrorType.FULL}) {
            ResponseEntity<byte[]> reply = handler.elastic(new ElasticException(type, "drive d-1 is being imaged"),
                    new MockHttpServletRequest("POST", "/drives/d-1/destroy"), new MockHttpServletResponse());
            assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).isEqualTo("drive d-1 is being imaged\n");
        }
    }

    /** The reported case: a read set its length (4096), then found its storage node gone. */
    @Test
    void anErrorReplacesTheLengthAndBytesTheFailedCallHadSetButNotWhatWasSent() throws Exception {
        MockHttpServletRequest read = new MockHttpServletRequest("GET", "/drives/d-1/read/0/4096");
        MockHttpServletResponse begun = new MockHttpServletResponse();
        begun.setContentLengthLong(4096);
        begun.getOutputStream().write(new byte[16]);
        ResponseEntity<byte[]> reply = handler.elastic(ElasticException.system("storage node n-1 cannot be reached"), read, begun);
        assertThat(reply.getHeaders().getFirst(ErrorReplies.HEADER)).isEqualTo("system");
        assertThat(begun.getHeader("Content-Length")).isNull();
        assertThat(begun.getContentAsByteArray()).isEmpty();

        MockHttpServletResponse sent = new MockHttpServletResponse();
        sent.setContentLengthLong(4096);
        sent.getOutputStream().write(new byte[16]);
        sent.flushBuffer();
        assertThat(handler.elastic(ElasticException.system("storage node n-1 cannot be reached"), read, sent)).isNull();
        assertThat(handler.unexpected(new IllegalStateException("broken"), read, sent)).isNull();
    }
}
