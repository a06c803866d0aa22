package io.elasticcloud.it;

import java.net.URI;
import java.util.Properties;
import org.jclouds.Constants;
import org.jclouds.ContextBuilder;
import org.jclouds.elasticstack.ElasticStackApi;

/** Builds the unmodified Apache jclouds ElasticStack client, as a customer would. */
public final class Jclouds {
    private Jclouds() {
    }

    /**
     * @param apiVersion {@code jclouds.api-version}: "1.0" or "2.0"
     */
    public static ElasticStackApi api(URI endpoint, Customer customer, String apiVersion) {
        Properties overrides = new Properties();
        overrides.setProperty(Constants.PROPERTY_API_VERSION, apiVersion);
        // bounded: a call that hangs fails the test instead of holding the build
        overrides.setProperty(Constants.PROPERTY_CONNECTION_TIMEOUT, "10000");
        overrides.setProperty(Constants.PROPERTY_SO_TIMEOUT, "60000");
        // a failure is reported as it happened, not retried into something else
        overrides.setProperty(Constants.PROPERTY_MAX_RETRIES, "0");
        return ContextBuilder.newBuilder("elasticstack")
                .endpoint(endpoint.toString())
                .credentials(customer.uuid(), customer.key())
                .overrides(overrides)
                .buildApi(ElasticStackApi.class);
    }
}
