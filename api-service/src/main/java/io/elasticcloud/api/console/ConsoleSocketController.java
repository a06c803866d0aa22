package io.elasticcloud.api.console;

import static org.springframework.web.bind.annotation.RequestMethod.GET;

import io.elasticcloud.api.server.ServerConsoles;
import io.elasticcloud.api.server.ServerConsoles.Target;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * {@code GET /console/websocket}: the WebSocket of a console page. The token is not in the address
 * (which access logs and proxies record) but offered as a WebSocket subprotocol,
 * {@code elastic-console.TOKEN}, beside {@code binary}, the one answered. Before the upgrade, in
 * this order: the page's {@code Origin} must be the API's own address (or one configured); the
 * token is spent ({@code 401 auth} if unknown, spent or expired); a console slot is taken
 * ({@code 409 busy}); the guest's VNC is reached where the server's row and host say, and
 * authenticated with the server's password ({@code 500 failed} if it does not answer). Only then
 * is the connection upgraded, so a refused console is an ordinary API error.
 */
@Controller
public class ConsoleSocketController {
    static final String PATH = "/console/websocket";
    static final String PROTOCOL = "binary";
    static final String TOKEN_PROTOCOL = "elastic-console.";
    private static final Logger log = LoggerFactory.getLogger(ConsoleSocketController.class);

    private final ConsoleTokens tokens;
    private final ServerConsoles servers;
    private final OpenConsoles open;
    private final ConsoleProperties properties;
    private final VncDialer dialer;
    private final VncTrust trust;

    ConsoleSocketController(ConsoleTokens tokens, ServerConsoles servers, OpenConsoles open,
                            ConsoleProperties properties, VncDialer dialer, VncTrust trust) {
        this.tokens = tokens;
        this.servers = servers;
        this.open = open;
        this.properties = properties;
        this.dialer = dialer;
        this.trust = trust;
    }

    @RequestMapping(path = PATH, method = GET)
    void connect(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!originAllowed(request.getHeader("Origin"), request.getHeader("Host"), properties.origins())) {
            throw new ElasticException(ErrorType.AUTH, "consoles open only from this API's own pages");
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            throw ElasticException.usage("%s is a WebSocket: open it with a console page", PATH);
        }
        List<String> offered = subprotocols(request);
        if (!offered.contains(PROTOCOL)) {
            throw ElasticException.usage("a console speaks the WebSocket subprotocol %s", PROTOCOL);
        }
        String token = offered.stream().filter(p -> p.startsWith(TOKEN_PROTOCOL))
                .map(p -> p.substring(TOKEN_PROTOCOL.length())).findFirst().orElse(null);
        ConsoleTokens.Grant grant = tokens.spend(token).orElseThrow(() -> new ElasticException(ErrorType.AUTH,
                "the console token is unknown, used or expired: ask POST /servers/UUID/console for another"));
        open.reserve(grant.owner());
        ConsoleRelay relay = null;
        VncUpstream upstream = null;
        try {
            Target target = servers.target(grant.owner(), grant.server());
            try {
                SSLContext tls = target.tls() ? trust.context() : null;
                upstream = VncUpstream.open(target, dialer, tls, properties.handshakeTimeout());
            } catch (SSLException e) {
                log.warn("console of {} refused: its host's VNC certificate: {}", target, e.getMessage());
                throw ElasticException.failed("the host of server %s could not be verified: its VNC certificate is not"
                        + " the platform's for the address its console listens at", target.server());
            } catch (IOException e) {
                log.warn("console of {} refused: {}", target, e.getMessage());
                throw ElasticException.failed("the server's console does not answer: %s", e.getMessage());
            }
            relay = new ConsoleRelay(target, upstream, properties, open);
            open.opened(relay); // from here its slot is given back as it closes, whatever happens
            ConsoleRelay endpoint = relay;
            ServerEndpointConfig config = ServerEndpointConfig.Builder.create(ConsoleRelay.class, PATH)
                    .subprotocols(List.of(PROTOCOL))
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> type) {
                            return type.cast(endpoint);
                        }
                    }).build();
            container(request).upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException | IOException | RuntimeException e) {
            if (relay != null) {
                relay.close(jakarta.websocket.CloseReason.CloseCodes.UNEXPECTED_CONDITION, "not opened");
            } else {
                open.release(grant.owner());
                if (upstream != null) {
                    upstream.close();
                }
            }
            if (e instanceof ElasticException elastic) {
                throw elastic;
            }
            throw ElasticException.system("the console could not be opened: %s", e.getMessage());
        }
    }

    private static ServerContainer container(HttpServletRequest request) {
        Object container = request.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container instanceof ServerContainer server) {
            return server;
        }
        throw new IllegalStateException("the servlet container has no WebSocket support");
    }

    private static List<String> subprotocols(HttpServletRequest request) {
        return Collections.list(request.getHeaders("Sec-WebSocket-Protocol")).stream()
                .flatMap(h -> List.of(h.split(",")).stream()).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    /**
     * Whether a page at {@code origin} may open a console: it is the address the request was sent
     * to ({@code host}, as the browser wrote it; default ports left out on both sides), or one of
     * {@code configured}. No Origin at all (not a browser) is refused too.
     */
    static boolean originAllowed(String origin, String host, List<String> configured) {
        if (origin == null || origin.isBlank()) {
            return false;
        }
        if (configured.stream().anyMatch(o -> o.equalsIgnoreCase(origin.strip()))) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (host == null || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            return false;
        }
        int port = uri.getPort();
        String originAuthority = uri.getHost().toLowerCase(Locale.ROOT)
                + (port == -1 || port == (scheme.equals("https") ? 443 : 80) ? "" : ":" + port);
        String hostAuthority = host.strip().toLowerCase(Locale.ROOT);
        if (hostAuthority.endsWith(":" + (scheme.equals("https") ? 443 : 80))) {
            hostAuthority = hostAuthority.substring(0, hostAuthority.lastIndexOf(':'));
        }
        return originAuthority.equals(hostAuthority);
    }
}
