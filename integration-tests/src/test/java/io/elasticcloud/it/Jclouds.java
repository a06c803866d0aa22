package io.elasticcloud.it;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.jclouds.Constants;
import org.jclouds.ContextBuilder;
import org.jclouds.compute.ComputeServiceContext;
import org.jclouds.compute.config.ComputeServiceProperties;
import org.jclouds.elasticstack.ElasticStackApi;

/** Builds the unmodified Apache jclouds ElasticStack client, as a customer would. */
public final class Jclouds {
    private Jclouds() {
    }

    /**
     * @param apiVersion {@code jclouds.api-version}: "1.0" or "2.0"
     */
    public static ElasticStackApi api(URI endpoint, Customer customer, String apiVersion) {
        return builder(endpoint, customer, apiVersion, new Properties()).buildApi(ElasticStackApi.class);
    }

    /**
     * jclouds' portable compute layer ({@code ComputeService}) over the same api, its waits for a
     * node to run, to stop and to go bounded by {@code nodeTimeout}.
     */
    public static ComputeServiceContext compute(URI endpoint, Customer customer, String apiVersion,
                                                Duration nodeTimeout) {
        Properties timeouts = new Properties();
        String millis = Long.toString(nodeTimeout.toMillis());
        timeouts.setProperty(ComputeServiceProperties.TIMEOUT_NODE_RUNNING, millis);
        timeouts.setProperty(ComputeServiceProperties.TIMEOUT_NODE_TERMINATED, millis);
        timeouts.setProperty(ComputeServiceProperties.TIMEOUT_NODE_SUSPENDED, millis);
        return builder(endpoint, customer, apiVersion, timeouts).buildView(ComputeServiceContext.class);
    }

    private static ContextBuilder builder(URI endpoint, Customer customer, String apiVersion, Properties overrides) {
        overrides.setProperty(Constants.PROPERTY_API_VERSION, apiVersion);
        // bounded: a call that hangs fails the test instead of holding the build
        overrides.setProperty(Constants.PROPERTY_CONNECTION_TIMEOUT, "10000");
        overrides.setProperty(Constants.PROPERTY_SO_TIMEOUT, "60000");
        // a failure is reported as it happened, not retried into something else
        overrides.setProperty(Constants.PROPERTY_MAX_RETRIES, "0");
        return ContextBuilder.newBuilder("elasticstack")
                .endpoint(endpoint.toString())
                .credentials(customer.uuid(), customer.key())
                .overrides(overrides);
    }
}
