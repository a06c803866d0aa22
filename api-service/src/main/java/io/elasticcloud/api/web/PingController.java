package io.elasticcloud.api.web;

import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.POST;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /ping}: 204 when the caller's credentials are right, and nothing else. Customers use it
 * to check their credentials; the benchmarks use it as the baseline of a request's fixed cost
 * (HTTP, authentication) against which a real call such as drive info is measured.
 */
@RestController
public class PingController {
    @RequestMapping(path = {"/api/ping", "/ping"}, method = {GET, POST})
    ResponseEntity<Void> ping() {
        return ResponseEntity.noContent().build();
    }
}
