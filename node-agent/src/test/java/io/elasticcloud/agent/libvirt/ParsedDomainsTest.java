package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.agent.GuestSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The agent's memo of parsed domain XML: reused only for the very same XML, forgotten with the domain. */
class ParsedDomainsTest {
    private static String xml(GuestSpec spec) {
        return DomainXml.build(spec, new DomainXml.Host("qemu", 2000, null, Map.of(), null, "node-1"));
    }

    @Test
    void theSameXmlGivesTheSameParseAndAnotherIsParsedAgain() {
        ParsedDomains parsed = new ParsedDomains();
        String server = Specs.server();
        String name = DomainXml.domainName(server);
        String first = xml(Specs.simple(server, "/var/lib/elastic/a.raw", "default"));
        Optional<DomainMetadata> meta = parsed.metadata(name, first);
        assertThat(meta).isPresent().get().satisfies(m -> {
            assertThat(m.server()).isEqualTo(server);
            assertThat(m.writableSources()).containsExactly("/var/lib/elastic/a.raw");
        });
        // an equal string, not the same instance: still no new parse
        assertThat(parsed.metadata(name, new String(first.toCharArray()))).isSameAs(meta);

        // the same name started again with other drives: its new XML is what counts
        String second = xml(Specs.simple(server, "/var/lib/elastic/b.raw", "default"));
        assertThat(parsed.metadata(name, second)).get().extracting(DomainMetadata::writableSources)
                .isEqualTo(List.of("/var/lib/elastic/b.raw"));
        assertThat(parsed.metadata("test", "<domain type='test'><name>test</name></domain>")).isEmpty();
        assertThat(parsed.size()).isEqualTo(2);

        parsed.retain(Set.of(name));
        assertThat(parsed.size()).isEqualTo(1);
        parsed.retain(Set.of());
        assertThat(parsed.size()).isZero();
    }
}
