package io.elasticcloud.api.console;

import static org.springframework.web.bind.annotation.RequestMethod.POST;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.security.Customer;
import io.elasticcloud.api.web.Exchange;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /servers/UUID/console}: a console token for one of the caller's servers, and the page
 * that opens it. Allowed when the server is the caller's, on a host, with VNC on (see
 * {@link ConsoleTokens#issue}). Answers {@code console} (the token), {@code expires} (epoch seconds,
 * as {@code started}) and {@code url}: the page, the token in its fragment, which browsers send to
 * no server and keep out of logs and Referer.
 */
@RestController
@RequestMapping({"/api/servers", "/servers"})
public class ConsoleController {
    static final String PAGE = "/console/console.html";

    private final ConsoleTokens tokens;

    public ConsoleController(ConsoleTokens tokens) {
        this.tokens = tokens;
    }

    @RequestMapping(path = "/{server}/console", method = POST)
    ResponseEntity<byte[]> console(HttpServletRequest request, @PathVariable String server) {
        UUID id = KeyRules.parseUuid(server)
                .orElseThrow(() -> ElasticException.missing("no server %s", ApiText.quote(server)));
        ConsoleTokens.Issued issued = tokens.issue(Customer.current().id(), id);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("server", id.toString());
        answer.put("console", issued.token());
        answer.put("expires", Long.toString(issued.expires().getEpochSecond()));
        answer.put("url", PAGE + "#token=" + issued.token());
        return Exchange.object(request, answer);
    }
}
