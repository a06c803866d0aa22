package io.elasticcloud.api.web;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures become API errors. Typed failures keep their type and words; a
 * failure nobody typed is a {@code system} error whose details go to the log, never to the caller.
 */
@RestControllerAdvice
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ElasticException.class)
    ResponseEntity<byte[]> elastic(ElasticException e) {
        if (e.type() == ErrorType.SYSTEM) {
            log.warn("system error: {}", e.getMessage(), e.getCause());
        }
        return ErrorReplies.entity(e.type(), e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> method(HttpRequestMethodNotSupportedException e) {
        return ErrorReplies.entity(ErrorType.METHOD, "this command expects " + String.join(" or ",
                e.getSupportedMethods() == null ? new String[] {"POST"} : e.getSupportedMethods()));
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<byte[]> noCommand(Exception e) {
        return ErrorReplies.entity(ErrorType.MISSING, "no such command");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e) {
        if (ElasticException.diskFull(e)) {
            // this service's own files (a write's spool, the database) found the disk full
            log.warn("disk full: {}", e.getMessage());
            return ErrorReplies.entity(ErrorType.FULL, "the storage is full; try again later");
        }
        if (e instanceof ErrorResponse refused && refused.getStatusCode().value() < 500) {
            // Spring refused the request itself (a content type it does not take, a body it cannot read).
            ErrorType type = ApiErrorController.forStatus(refused.getStatusCode().value());
            String detail = refused.getBody().getDetail();
            return ErrorReplies.entity(type, detail != null && type == ErrorType.USAGE
                    ? "the request is malformed: " + detail : ApiErrorController.describe(type));
        }
        log.error("unexpected failure", e);
        return ErrorReplies.entity(ErrorType.SYSTEM, "the system failed to carry out this command");
    }
}
