package io.elasticcloud.api.billing;

import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.POST;

import io.elasticcloud.api.security.Customer;
import io.elasticcloud.api.web.Exchange;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The customer's read-only view of their own billing (docs/api.md, "Billing"), in text or JSON
 * like every other call: {@code /billing/info} (balance, subscriptions not yet ended, the last 100
 * ledger entries) and {@code /billing/ledger/info} (every ledger entry).
 */
@RestController
@RequestMapping({"/api/billing", "/billing"})
public class BillingController {
    private final BillingService billing;

    public BillingController(BillingService billing) {
        this.billing = billing;
    }

    @RequestMapping(path = "/info", method = {GET, POST})
    ResponseEntity<byte[]> info(HttpServletRequest request) {
        return Exchange.objects(request, BillingViews.objects(billing.statement(Customer.current().id(), false)));
    }

    @RequestMapping(path = "/ledger/info", method = {GET, POST})
    ResponseEntity<byte[]> ledger(HttpServletRequest request) {
        BillingService.Statement statement = billing.statement(Customer.current().id(), true);
        return Exchange.objects(request, statement.ledger().stream()
                .map(e -> BillingViews.entry(e, statement.currency())).toList());
    }
}
