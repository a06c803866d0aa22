package io.elasticcloud.api.web;

import io.elasticcloud.api.frontdoor.SlowBodyException;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Incident;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.ClientAbortException;
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
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures become API errors. Typed failures keep their type, and the 4xx and
 * {@code full} ones their words (ours, from our own checks). The words of a {@code failed} or
 * {@code system} error, and of any failure nobody typed, may be a hypervisor's, a file system's or
 * an exception's (host paths, command lines, internal names): they go to the log under an {@link
 * Incident}, and the caller reads what failed in our words ({@link FailureWords}) and the incident's id.
 * A client that went away in the middle (its connection reset or closed while its body was read
 * or its answer written) is not a failure of ours: one line at debug, no stack trace, no answer.
 * A call that failed after it began its own answer (a read that set its length, then found its
 * storage node gone) answers the error alone when nothing has been sent yet, and nothing more when
 * something has: the connection then ends short of the length the client was promised.
 */
@RestControllerAdvice
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ElasticException.class)
    ResponseEntity<byte[]> elastic(ElasticException e, HttpServletRequest request, HttpServletResponse response) {
        if (clientWentAway(e)) {
            return gone(request, e);
        }
        if (Incident.hides(e.type())) {
            Incident incident = Incident.of(e.getMessage());
            log.warn("incident {}: {} {} answered {}: {}", incident.id(), request.getMethod(), request.getRequestURI(),
                    e.type().header(), e.getMessage(), e.getCause());
            return instead(response, ErrorReplies.entity(e.type(), incident.mark(FailureWords.of(request.getRequestURI(), e.type()))));
        }
        return instead(response, ErrorReplies.entity(e.type(), e.getMessage()));
    }

    /**
     * {@code error} in place of whatever the failed call had set for its own answer (its length, its
     * buffered bytes), or nothing when part of that answer is already on its way. Spring Security's
     * headers are not lost: they are written as the answer is committed.
     */
    private static ResponseEntity<byte[]> instead(HttpServletResponse response, ResponseEntity<byte[]> error) {
        if (error == null || response.isCommitted()) {
            return null;
        }
        response.reset(); // the headers, status and bytes of the call's own answer
        return error;
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
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
        return instead(response, answer(e, request));
    }

    private ResponseEntity<byte[]> answer(Exception e, HttpServletRequest request) {
        if (e instanceof InvalidMediaTypeException || e instanceof InvalidMimeTypeException) {
            return mediaType((IllegalArgumentException) e);
        }
        SlowBodyException slow = cause(e, SlowBodyException.class);
        if (slow != null) {
            return ErrorReplies.entity(ErrorType.USAGE, slow.getMessage());
        }
        if (clientWentAway(e)) {
            return gone(request, e);
        }
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
        Incident incident = Incident.next();
        log.error("incident {}: {} {} failed unexpectedly", incident.id(), request.getMethod(), request.getRequestURI(), e);
        return ErrorReplies.entity(ErrorType.SYSTEM,
                incident.mark(FailureWords.of(request.getRequestURI(), ErrorType.SYSTEM)));
    }

    /**
     * One line at debug, no stack trace, and no answer: nobody is there to read it, and there is
     * nothing for an operator to do about one (at scale, clients giving up on long listings would
     * otherwise fill the log). The container then dispatches the same request to the error page,
     * whose answer fails too: that says nothing new.
     */
    private static ResponseEntity<byte[]> gone(HttpServletRequest request, Exception e) {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            return null;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        log.debug("client went away during {} {}: {}", request.getMethod(), request.getRequestURI(), root.toString());
        return null;
    }

    /** A reset or closed connection from the client, whatever wrapped it on the way up. */
    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClientAbortException || t instanceof AsyncRequestNotUsableException) {
                return true;
            }
            if (t instanceof IOException && t.getMessage() != null
                    && (t.getMessage().contains("Connection reset") || t.getMessage().contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
