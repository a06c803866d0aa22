package io.elasticcloud.api.web;

import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
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

    @RequestMapping("/error")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        ErrorType type = switch (status) {
            case 400, 411, 413, 414, 415, 431 -> ErrorType.USAGE;
            case 401, 403 -> ErrorType.AUTH;
            case 404 -> ErrorType.MISSING;
            case 405 -> ErrorType.METHOD;
            case 507 -> ErrorType.FULL;
            default -> ErrorType.SYSTEM;
        };
        String message = switch (type) {
            case USAGE -> "the request is malformed";
            case AUTH -> "HTTP Basic authentication is missing or incorrect";
            case MISSING -> "no such command";
            case METHOD -> "this command expects POST";
            default -> "the system failed to carry out this command";
        };
        return ErrorReplies.entity(type, message);
    }
}
