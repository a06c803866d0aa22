package io.elasticcloud.api.resource;

import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.POST;

import io.elasticcloud.api.security.Customer;
import io.elasticcloud.api.web.Exchange;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Section 4 of the API, at {@code /api/resources/...} and at the root. Reads answer GET and POST;
 * commands answer POST only, GET being {@code 405}. An unknown TYPE names no command: missing.
 */
@RestController
@RequestMapping({"/api/resources", "/resources"})
public class ResourceController {
    private static final List<String> LIST_KEYS = List.of("type", "resource");

    private final ResourceService resources;

    public ResourceController(ResourceService resources) {
        this.resources = resources;
    }

    @RequestMapping(path = "/list", method = {GET, POST})
    void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        list(request, response, Optional.empty());
    }

    @RequestMapping(path = "/info", method = {GET, POST})
    void infoAll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        infoAll(request, response, Optional.empty());
    }

    @RequestMapping(path = "/{type}/list", method = {GET, POST})
    void list(HttpServletRequest request, HttpServletResponse response, @PathVariable String type) throws IOException {
        list(request, response, Optional.of(type(type)));
    }

    @RequestMapping(path = "/{type}/info", method = {GET, POST})
    void infoAll(HttpServletRequest request, HttpServletResponse response, @PathVariable String type) throws IOException {
        infoAll(request, response, Optional.of(type(type)));
    }

    @RequestMapping(path = "/{type}/create", method = POST)
    ResponseEntity<byte[]> create(HttpServletRequest request, @PathVariable String type) {
        ResourceType t = type(type);
        return info(request, resources.create(user(), t, Exchange.properties(request)));
    }

    @RequestMapping(path = "/{type}/{resource}/info", method = {GET, POST})
    ResponseEntity<byte[]> info(HttpServletRequest request, @PathVariable String type, @PathVariable String resource) {
        return info(request, resources.owned(user(), type(type), resource));
    }

    @RequestMapping(path = "/{type}/{resource}/set", method = POST)
    ResponseEntity<byte[]> set(HttpServletRequest request, @PathVariable String type, @PathVariable String resource) {
        ResourceType t = type(type);
        return info(request, resources.set(user(), t, resource, Exchange.properties(request)));
    }

    @RequestMapping(path = "/{type}/{resource}/destroy", method = POST)
    ResponseEntity<byte[]> destroy(@PathVariable String type, @PathVariable String resource) {
        resources.destroy(user(), type(type), resource);
        return Exchange.noContent();
    }

    /**
     * The listings are written object by object as the others are; their rows are read at once, as
     * many as the account's resource quota lets it hold.
     */
    private void list(HttpServletRequest request, HttpServletResponse response, Optional<ResourceType> type)
            throws IOException {
        List<OwnedResource> owned = resources.list(user(), type);
        Exchange.list(request, response, LIST_KEYS, sink -> owned.forEach(r -> sink.accept(
                Map.of("type", r.type().apiName(), "resource", r.resource()))));
    }

    private void infoAll(HttpServletRequest request, HttpServletResponse response, Optional<ResourceType> type)
            throws IOException {
        List<OwnedResource> owned = resources.list(user(), type);
        Exchange.objects(request, response, sink -> owned.forEach(r -> sink.accept(resources.info(r))));
    }

    private ResponseEntity<byte[]> info(HttpServletRequest request, OwnedResource resource) {
        return Exchange.object(request, resources.info(resource));
    }

    private static UUID user() {
        return Customer.current().id();
    }

    private static ResourceType type(String text) {
        return ResourceType.fromApiName(text)
                .orElseThrow(() -> ElasticException.missing("no resource type %s (ip or vlan)", ApiText.quote(text)));
    }
}
