package io.elasticcloud.agent.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Chooses {@code kvm} or {@code qemu} (TCG) for {@code auto}. KVM counts as usable when libvirt
 * offers it, the CPU shows hardware virtualization ({@code vmx} or {@code svm} in {@code
 * /proc/cpuinfo}) and the KVM module is not {@code kvm_pvm}: a nested PVM "KVM" (as on the
 * development machines) has {@code /dev/kvm} and a {@code kvm} domain type, yet a stock kernel
 * barely boots on it, so it is treated as no KVM at all.
 */
public final class DomainTypes {
    private static final Pattern KVM_DOMAIN = Pattern.compile("<domain\\s+type=['\"]kvm['\"]");
    private static final Pattern HW_VIRT = Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);

    private DomainTypes() {
    }

    /** {@code kvm} or {@code qemu} for a configured value of {@code kvm}, {@code qemu} or {@code auto}. */
    public static String resolve(String configured, String capabilitiesXml) {
        return switch (configured) {
            case "kvm", "qemu" -> configured;
            case "auto" -> detect(capabilitiesXml, read(Path.of("/proc/cpuinfo")), Files.isDirectory(Path.of("/sys/module/kvm_pvm")));
            default -> throw new IllegalArgumentException(
                    "elastic.agent.domain-type must be kvm, qemu or auto, not " + configured);
        };
    }

    static String detect(String capabilitiesXml, String cpuinfo, boolean pvm) {
        boolean offered = capabilitiesXml != null && KVM_DOMAIN.matcher(capabilitiesXml).find();
        boolean hardware = cpuinfo != null && HW_VIRT.matcher(cpuinfo).find();
        return offered && hardware && !pvm ? "kvm" : "qemu";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
