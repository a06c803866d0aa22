package io.elasticcloud.api.web;

import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Incident;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that happen before a controller runs (the servlet container refusing a malformed
 * request, a filter failing) still answer in the API's error form, not as an HTML page.
 */
@RestController
public class ApiErrorController implements ErrorController {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorController.class);

    @RequestMapping("/error")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Only the container's error dispatch sets the status; a client asking for /error itself
        // asked for a command that does not exist (it once got a 500).
        ErrorType type = code instanceof Integer i ? forStatus(i) : ErrorType.MISSING;
        if (Incident.hides(type)) {
            // what failed is in the log under the incident; the caller gets the id alone
            Incident incident = Incident.next();
            log.error("incident {}: {} {} failed before the API answered", incident.id(), request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null);
            return ErrorReplies.entity(type, incident.mark(describe(type)));
        }
        return ErrorReplies.entity(type, describe(type));
    }

    /** The API's error type for an HTTP status that something other than the API code chose. */
    public static ErrorType forStatus(int status) {
        return switch (status) {
            // the container's "not implemented" and "version not supported" refuse what the client sent
            case 501, 505 -> ErrorType.USAGE;
            case 401, 403 -> ErrorType.AUTH;
            case 404 -> ErrorType.MISSING;
            case 405 -> ErrorType.METHOD;
            case 409 -> ErrorType.BUSY;
            case 507 -> ErrorType.FULL;
            default -> status >= 400 && status < 500 ? ErrorType.USAGE : ErrorType.SYSTEM;
        };
    }

    public static String describe(ErrorType type) {
        return switch (type) {
            case USAGE -> "the request is malformed";
            case AUTH -> "HTTP Basic authentication is missing or incorrect";
            case MISSING -> "no such command";
            case METHOD -> "this command expects POST";
            case BUSY -> "the resource is busy";
            case FULL -> "the resource is full";
            default -> "the system failed to carry out this command";
        };
    }
}
