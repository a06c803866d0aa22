package io.elasticcloud.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.Incident;
import jakarta.servlet.RequestDispatcher;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/** The container's error page: its 500 names an incident, not the failure that caused it. */
class ApiErrorControllerTest {

    @Test
    void aFailureBeforeTheApiAnsweredIsAnIncident() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/drives/create");
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("/var/lib/elastic/db locked"));

        ResponseEntity<byte[]> reply = new ApiErrorController().error(request);

        String body = new String(reply.getBody(), StandardCharsets.UTF_8);
        assertThat(reply.getStatusCode().value()).isEqualTo(500);
        assertThat(body).startsWith("the system failed to carry out this command (incident ").doesNotContain("/var");
        assertThat(Incident.in(body)).isPresent();
    }

    @Test
    void otherStatusesKeepTheirWords() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 400);

        assertThat(new String(new ApiErrorController().error(request).getBody(), StandardCharsets.UTF_8))
                .isEqualTo("the request is malformed\n");
    }
}
