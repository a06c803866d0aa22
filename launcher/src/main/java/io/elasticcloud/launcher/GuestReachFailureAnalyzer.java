package io.elasticcloud.launcher;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Spring Boot's start-failure report for {@link GuestReachCheck}: what the operator must change,
 * in place of a stack trace that says nothing more.
 */
public class GuestReachFailureAnalyzer extends AbstractFailureAnalyzer<GuestReachCheck.Unreachable> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, GuestReachCheck.Unreachable cause) {
        return new FailureAnalysis(String.join(System.lineSeparator(), cause.problems()),
                "Let the hypervisor's guest user (libvirt's qemu.conf \"user\", libvirt-qemu on Debian) pass through"
                        + " every directory above each storage pool, or set elastic.data-dir or"
                        + " elastic.storage.pools[N].directory to a place it can reach; then start again.", cause);
    }
}
