package io.elasticcloud.api.server;

import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.POST;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.common.Pages;
import io.elasticcloud.api.security.Customer;
import io.elasticcloud.api.web.Exchange;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Section 3 of the API, at {@code /api/servers/...} and at the root. Reads answer GET and POST;
 * commands answer POST only, GET being {@code 405}.
 */
@RestController
@RequestMapping({"/api/servers", "/servers"})
public class ServerController {
    private final ServerReads servers;
    private final ServerCreate creates;
    private final ServerSet sets;
    private final ServerStart starts;
    private final ServerStop stops;
    private final ServerDestroy destroys;

    public ServerController(ServerReads servers, ServerCreate creates, ServerSet sets, ServerStart starts,
                            ServerStop stops, ServerDestroy destroys) {
        this.servers = servers;
        this.creates = creates;
        this.sets = sets;
        this.starts = starts;
        this.stops = stops;
        this.destroys = destroys;
    }

    /** Written as read, a page of servers at a time ({@link Pages}). */
    @RequestMapping(path = "/list", method = {GET, POST})
    void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID user = user();
        Exchange.list(request, response, List.of("server", "cpu", "mem"), sink -> Pages.forEach(Pages.SIZE,
                (ServerListed last) -> servers.listedAfter(user, last), page -> page.forEach(s -> sink.accept(
                        Map.of("server", s.id().toString(), "cpu", Integer.toString(s.cpu()),
                                "mem", Integer.toString(s.mem()))))));
    }

    /** Written as read, a page of servers at a time ({@link ServerReads#each}). */
    @RequestMapping(path = "/info", method = {GET, POST})
    void infoAll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID user = user();
        Exchange.objects(request, response, sink -> servers.each(user, sink));
    }

    @RequestMapping(path = "/create", method = POST)
    ResponseEntity<byte[]> create(HttpServletRequest request) {
        return created(request, creates.create(user(), Exchange.properties(request), true));
    }

    @RequestMapping(path = "/create/stopped", method = POST)
    ResponseEntity<byte[]> createStopped(HttpServletRequest request) {
        return created(request, creates.create(user(), Exchange.properties(request), false));
    }

    @RequestMapping(path = "/{server}/info", method = {GET, POST})
    ResponseEntity<byte[]> info(HttpServletRequest request, @PathVariable String server) {
        return info(request, servers.owned(user(), id(server)));
    }

    @RequestMapping(path = "/{server}/set", method = POST)
    ResponseEntity<byte[]> set(HttpServletRequest request, @PathVariable String server) {
        return info(request, sets.set(user(), id(server), Exchange.properties(request)));
    }

    @RequestMapping(path = "/{server}/start", method = POST)
    ResponseEntity<byte[]> start(@PathVariable String server) {
        starts.start(user(), id(server));
        return Exchange.noContent();
    }

    @RequestMapping(path = "/{server}/stop", method = POST)
    ResponseEntity<byte[]> stop(@PathVariable String server) {
        stops.stop(user(), id(server));
        return Exchange.noContent();
    }

    @RequestMapping(path = "/{server}/shutdown", method = POST)
    ResponseEntity<byte[]> shutdown(@PathVariable String server) {
        stops.shutdown(user(), id(server));
        return Exchange.noContent();
    }

    @RequestMapping(path = "/{server}/reset", method = POST)
    ResponseEntity<byte[]> reset(@PathVariable String server) {
        stops.reset(user(), id(server));
        return Exchange.noContent();
    }

    @RequestMapping(path = "/{server}/destroy", method = POST)
    ResponseEntity<byte[]> destroy(@PathVariable String server) {
        destroys.destroy(user(), id(server));
        return Exchange.noContent();
    }

    private ResponseEntity<byte[]> info(HttpServletRequest request, Server server) {
        return Exchange.object(request, servers.info(server));
    }

    private ResponseEntity<byte[]> created(HttpServletRequest request, ServerCreate.Created created) {
        return Exchange.object(request, servers.info(created));
    }

    private static UUID user() {
        return Customer.current().id();
    }

    /** A malformed id names no server the caller has: missing, like any other unknown server. */
    private static UUID id(String text) {
        return KeyRules.parseUuid(text)
                .orElseThrow(() -> ElasticException.missing("no server %s", ApiText.quote(text)));
    }
}
