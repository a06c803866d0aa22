package io.elasticcloud.agent.hypervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The check at start that the hypervisor's guest user can reach every directory a guest's files
 * are handed from by path (the storage pools of this host). A pool it cannot reach lets the whole
 * system start, and then every server with a drive there fails to start: found at start, it is
 * one clear message to the operator instead of a failure per customer.
 */
public final class GuestReach {

    private GuestReach() {
    }

    /**
     * What is wrong, one line per directory the user cannot reach, each naming the directory that
     * blocks it and what to do; empty when every one is reachable.
     *
     * @param directories what each directory is ({@code storage pool pool-0}) and where it is
     */
    public static List<String> problems(GuestUser user, Map<String, Path> directories, GuestUser.Stat stat) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> e : directories.entrySet()) {
            Path dir = e.getValue().toAbsolutePath().normalize();
            try {
                Optional<Path> blocked = user.blockedAt(dir, stat);
                if (blocked.isPresent()) {
                    GuestUser.Mode mode = stat.of(blocked.get());
                    problems.add(String.format("the hypervisor runs guests as %s, who cannot pass through %s "
                                    + "(mode %03o, owner uid %d, group gid %d), so guests cannot open their drives in %s "
                                    + "at %s: give that user search permission on it (e.g. chmod o+x %s), "
                                    + "or move the directory where it can reach",
                            user.describe(), blocked.get(), mode.mode() & 0777, mode.uid(), mode.gid(), e.getKey(), dir,
                            blocked.get()));
                }
            } catch (IOException ex) {
                problems.add(String.format("cannot check whether %s can reach %s at %s: %s", user.describe(), e.getKey(),
                        dir, ex));
            }
        }
        return problems;
    }
}
