package io.elasticcloud.api.metrics;

import io.elasticcloud.api.drive.DriveRepository;
import io.elasticcloud.api.drive.ImagingJobRepository;
import io.elasticcloud.api.storage.StorageNodes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Gauges of what is stored: drives and their bytes, and imaging jobs queued and running (their
 * sum is the imaging queue). Each
 * storage node's capacity and use are registered by {@link StorageNodes} when it first reports.
 */
@Component
public class DriveMetrics {

    public DriveMetrics(MeterRegistry registry, DriveRepository drives, ImagingJobRepository jobs) {
        Gauge.builder("elastic.drives", drives, DriveRepository::count).description("drives, standard ones included")
                .register(registry);
        Gauge.builder("elastic.drives.size", drives, DriveRepository::sumSize).baseUnit("bytes")
                .description("the sum of the drives' sizes").register(registry);
        Gauge.builder("elastic.imaging.jobs", jobs, ImagingJobRepository::countByPercentIsNull).tag("state", "queued")
                .description("imaging operations waiting for a storage node to start them").register(registry);
        Gauge.builder("elastic.imaging.jobs", jobs, ImagingJobRepository::countByPercentIsNotNull).tag("state", "running")
                .description("imaging operations a storage node reported progress on").register(registry);
    }
}
