package io.elasticcloud.api.frontdoor;

import io.elasticcloud.api.web.ApiErrorController;
import io.elasticcloud.api.web.ErrorReplies;
import io.elasticcloud.protocol.ErrorType;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own error page, for what the container refuses before the application sees it (an
 * encoded slash, {@code %00} in the path, a header over the limit, two Host headers, a malformed
 * Content-Length): in the API's form instead of HTML, the {@code X-Elastic-Error} type and one line
 * of text, with the status of that type.
 */
public final class ApiErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorType type = ApiErrorController.forStatus(status);
        try {
            response.setStatus(type.status());
            response.setHeader(ErrorReplies.HEADER, type.header());
            response.setContentType("text/plain;charset=UTF-8");
            String text = ErrorReplies.text(ApiErrorController.describe(type));
            response.setContentLength(text.length());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(text);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response already went: nothing more to tell it
        }
    }
}
