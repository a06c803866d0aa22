package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestUser;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which user libvirt runs QEMU as, from its own answer rather than a guess at {@code qemu.conf}:
 * the capabilities' DAC security model names the base label of each domain type, {@code
 * +64055:+113} (uid and gid). The user's name and supplementary groups come from the host's
 * {@code /etc/passwd} and {@code /etc/group}, as QEMU's process gets them.
 */
final class GuestUsers {
    private static final Pattern DAC = Pattern.compile(
            "<secmodel>\\s*<model>dac</model>(.*?)</secmodel>", Pattern.DOTALL);
    private static final Pattern LABEL = Pattern.compile(
            "<baselabel type=['\"]([a-z]+)['\"]>\\+?(\\d+):\\+?(\\d+)</baselabel>");

    private GuestUsers() {
    }

    /**
     * @param capabilities libvirt's capabilities XML
     * @param domainType   {@code kvm} or {@code qemu}: the label of that type, else any
     * @param passwd       the contents of {@code /etc/passwd} (may be empty)
     * @param group        the contents of {@code /etc/group} (may be empty)
     * @return the user, empty when libvirt names none (another driver, no DAC)
     */
    static Optional<GuestUser> of(String capabilities, String domainType, String passwd, String group) {
        Matcher dac = DAC.matcher(capabilities == null ? "" : capabilities);
        if (!dac.find()) {
            return Optional.empty();
        }
        Matcher label = LABEL.matcher(dac.group(1));
        int[] chosen = null;
        while (label.find()) {
            int[] ids = {Integer.parseInt(label.group(2)), Integer.parseInt(label.group(3))};
            if (chosen == null || label.group(1).equals(domainType)) {
                chosen = ids;
            }
        }
        if (chosen == null) {
            return Optional.empty();
        }
        int uid = chosen[0];
        String name = Integer.toString(uid);
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && f[2].equals(Integer.toString(uid))) {
                name = f[0];
                break;
            }
        }
        Set<Integer> groups = new HashSet<>(Set.of(chosen[1]));
        for (String line : group.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && Set.of(f[3].split(",")).contains(name)) {
                try {
                    groups.add(Integer.parseInt(f[2]));
                } catch (NumberFormatException ignored) {
                    // a malformed line gives no group
                }
            }
        }
        return Optional.of(new GuestUser(name, uid, groups));
    }
}
