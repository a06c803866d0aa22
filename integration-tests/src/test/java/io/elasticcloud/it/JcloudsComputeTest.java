package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jclouds.compute.ComputeService;
import org.jclouds.compute.ComputeServiceContext;
import org.jclouds.compute.domain.Hardware;
import org.jclouds.compute.domain.Image;
import org.jclouds.compute.domain.NodeMetadata;
import org.jclouds.compute.domain.OsFamily;
import org.jclouds.compute.domain.Template;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * jclouds' portable compute layer over its unmodified {@code elasticstack} api (2.7.0) against
 * the real system and a real guest, through the load balancer before two API instances ({@link
 * StandardGuestSystem}): the image is a gzipped standard drive (the test guest as a
 * hybrid ISO), {@code createNodesInGroup} creates a drive, images the standard drive into it with
 * {@code gunzip}, creates the server stopped and starts it; the guest boots from that drive.
 * {@code destroyNode} stops and destroys the server and destroys its drive.
 */
class JcloudsComputeTest {
    private static final String IMAGE = SharedGuestSystem.IMAGE;
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);
    @RegisterExtension
    static final SharedGuestSystem CLOUD = new SharedGuestSystem();
    private static StandardGuestSystem cloud;
    private static Libvirt.Network network;
    private static RunningSystem agent;
    private static Customer customer;

    @BeforeAll
    static void startSystem() {
        cloud = CLOUD.get();
        network = cloud.network;
        agent = cloud.agent;
        customer = CLOUD.newCustomer();
    }

    @Test
    void computeServiceCreatesAndDestroysANode() throws Exception {
        long[] before = cloud.answered();
        try (ComputeServiceContext context = Jclouds.compute(cloud.endpoint(), customer, "2.0", NODE_TIMEOUT)) {
            ComputeService compute = context.getComputeService();
            Image image = compute.getImage(IMAGE);
            assertThat(image).as("the standard drive as a jclouds image").isNotNull();
            assertThat(image.getOperatingSystem().getFamily()).isEqualTo(OsFamily.DEBIAN);

            // the smallest profile: 1000 MHz, 512 MB, a 1 GB boot drive
            Hardware smallest = compute.listHardwareProfiles().stream()
                    .filter(h -> h.getRam() == 512 && h.getProcessors().get(0).getSpeed() == 1000)
                    .findFirst().orElseThrow();
            Template template = compute.templateBuilder().imageId(IMAGE).hardwareId(smallest.getId()).build();
            Set<? extends NodeMetadata> nodes = compute.createNodesInGroup("jcl", 1, template);
            assertThat(nodes).hasSize(1);
            NodeMetadata node = nodes.iterator().next();
            assertThat(node.getStatus()).isEqualTo(NodeMetadata.Status.RUNNING);
            assertThat(node.getGroup()).isEqualTo("jcl");
            String server = node.getId();

            PlainHttp http = cloud.http();
            String auth = PlainHttp.basic(customer);
            Map<String, String> info = PlainHttp.parseObject(http.get("/servers/" + server + "/info", auth).text());
            assertThat(info).containsEntry("status", "active").containsEntry("cpu", "1000").containsEntry("mem", "512")
                    .containsEntry("persistent", "true").containsEntry("boot", "ide:0:0").containsKey("vnc:port");
            String drive = info.get("ide:0:0");
            assertThat(PlainHttp.parseObject(http.get("/drives/" + drive + "/info", auth).text()))
                    .containsEntry("size", Long.toString(1L << 30)).containsEntry("name", IMAGE);
            assertThat(Libvirt.domainsMentioning(agent.dataDir().toString()))
                    .containsEntry(Libvirt.domainOf(server), "running");
            // the guest boots from the drive jclouds imaged (an IDE disk, not a cdrom)
            String console = Libvirt.awaitConsole(agent, server, "ELASTIC-TEST-GUEST-READY", 1, NODE_TIMEOUT);
            assertThat(console).contains("bus=ide ro=0");
            assertThat(compute.getNodeMetadata(server).getStatus()).isEqualTo(NodeMetadata.Status.RUNNING);
            assertThat(compute.listNodes()).extracting(n -> n.getId()).contains(server);

            compute.destroyNode(server);
            assertThat(compute.getNodeMetadata(server)).isNull();
            assertThat(http.get("/servers/" + server + "/info", auth).status()).isEqualTo(404);
            assertThat(http.get("/drives/" + drive + "/info", auth).status()).as("the node's drive is destroyed too")
                    .isEqualTo(404);
            assertThat(Libvirt.domains()).doesNotContain(Libvirt.domainOf(server));
        }
        cloud.assertBothInstancesAnsweredSince(before);
    }
}
