package io.elasticcloud.api.web;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.elasticcloud.api.web.codec.ApiText;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.ResponseEntity;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
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

    /**
     * A body Spring itself could not read: the Actuator's JSON (an admin tool's broken
     * {@code POST /actuator/users}). Its details name Jackson's classes; the position is kept.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<byte[]> unreadable(HttpMessageNotReadableException e) {
        return ErrorReplies.entity(ErrorType.USAGE, "The request body is not valid JSON"
                + (e.getCause() instanceof JacksonException j && j.getLocation() != null && j.getLocation().getLineNr() > 0
                ? String.format(" (line %d, column %d)", j.getLocation().getLineNr(), j.getLocation().getColumnNr())
                : ""));
    }

    /**
     * A media type header Spring's own parser refused deep inside a call (the Actuator's
     * negotiation): the caller's malformed header, never a system failure.
     */
    @ExceptionHandler({InvalidMediaTypeException.class, InvalidMimeTypeException.class})
    ResponseEntity<byte[]> mediaType(IllegalArgumentException e) {
        return ErrorReplies.entity(ErrorType.USAGE, "a media type header is malformed: "
                + ApiText.quote(e instanceof InvalidMediaTypeException m ? m.getMediaType()
                        : ((InvalidMimeTypeException) e).getMimeType()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e) {
        if (e instanceof InvalidMediaTypeException || e instanceof InvalidMimeTypeException) {
            return mediaType((IllegalArgumentException) e);
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
