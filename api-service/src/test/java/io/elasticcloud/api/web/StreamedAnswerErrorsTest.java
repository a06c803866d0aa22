package io.elasticcloud.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A listing written as it is read that fails: before its first bytes left (all still in the
 * response buffer) the caller gets the error alone, with its {@code X-Elastic-Error}; once some
 * left, nothing more is written and the answer ends short.
 */
class StreamedAnswerErrorsTest {
    private static final int BUFFER = 4096;
    private final ApiExceptionHandler handler = new ApiExceptionHandler();
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/drives/info");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    StreamedAnswerErrorsTest() {
        response.setBufferSize(BUFFER);
    }

    @Test
    void anErrorWithTheFirstBytesStillBufferedIsAnsweredAlone() {
        ElasticException failure = ElasticException.missing("no such drive");
        assertThatThrownBy(() -> Exchange.objects(request, response, sink -> {
            sink.accept(Map.of("drive", "a"));
            throw failure;
        })).isSameAs(failure);
        assertThat(response.isCommitted()).isFalse();

        ResponseEntity<byte[]> answer = handler.elastic(failure, request, response);

        assertThat(answer.getStatusCode().value()).isEqualTo(404);
        assertThat(answer.getHeaders().getFirst(ErrorReplies.HEADER)).isEqualTo("missing");
        assertThat(response.getHeader(Exchange.OUTPUT_HEADER)).as("the listing's own header is gone").isNull();
        assertThat(response.getContentAsByteArray()).as("the listing's own bytes are gone").isEmpty();
    }

    @Test
    void anErrorOnceBytesLeftWritesNothingMore() {
        ElasticException failure = ElasticException.system("storage node gone");
        assertThatThrownBy(() -> Exchange.objects(request, response, sink -> {
            for (int i = 0; i < 100; i++) {
                sink.accept(Map.of("name", "drive number " + i + " with a name long enough to fill the buffer"));
            }
            throw failure;
        })).isSameAs(failure);
        assertThat(response.isCommitted()).isTrue();
        int sent = response.getContentAsByteArray().length;

        assertThat(handler.elastic(failure, request, response)).isNull();
        assertThat(response.getContentAsByteArray()).hasSize(sent);
        assertThat(response.getHeader(ErrorReplies.HEADER)).isNull();
    }
}
