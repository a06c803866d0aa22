package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.GuestUser;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guest user from libvirt's capabilities (as libvirt 9.0 on Debian writes them) and the host's user files. */
class GuestUsersTest {
    private static final String CAPABILITIES = """
            <capabilities>
              <host>
                <secmodel>
                  <model>apparmor</model>
                  <doi>0</doi>
                </secmodel>
                <secmodel>
                  <model>dac</model>
                  <doi>0</doi>
                  <baselabel type='kvm'>+64055:+113</baselabel>
                  <baselabel type='qemu'>+64055:+64055</baselabel>
                </secmodel>
              </host>
            </capabilities>
            """;
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\n"
            + "libvirt-qemu:x:64055:113:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin\n";
    private static final String GROUP = "root:x:0:\nkvm:x:113:libvirt-qemu\nlibvirt-qemu:x:64055:libvirt-qemu\n"
            + "disk:x:6:\n";

    @Test
    void takesTheLabelOfTheDomainTypeAndTheUsersGroups() {
        assertThat(GuestUsers.of(CAPABILITIES, "qemu", PASSWD, GROUP))
                .hasValue(new GuestUser("libvirt-qemu", 64055, Set.of(113, 64055)));
        assertThat(GuestUsers.of(CAPABILITIES, "kvm", PASSWD, GROUP))
                .hasValue(new GuestUser("libvirt-qemu", 64055, Set.of(113, 64055)));
    }

    @Test
    void aUserWithoutANameIsItsNumber() {
        assertThat(GuestUsers.of(CAPABILITIES, "qemu", "", "")).hasValue(new GuestUser("64055", 64055, Set.of(64055)));
    }

    @Test
    void noDacModelNamesNoUser() {
        assertThat(GuestUsers.of("<capabilities><host><secmodel><model>none</model></secmodel></host></capabilities>",
                "qemu", PASSWD, GROUP)).isEmpty();
        assertThat(GuestUsers.of("<capabilities/>", "qemu", PASSWD, GROUP)).isEmpty();
    }
}
