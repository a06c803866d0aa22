package io.elasticcloud.launcher;

import org.springframework.core.env.Environment;

/**
 * Which parts this process runs: {@code elastic.api.enabled}, {@code elastic.storage.enabled},
 * {@code elastic.agent.enabled}, each true unless set to false. All three (the default) is the
 * single host; several hosts run the same jar with a subset on each.
 */
record Roles(boolean api, boolean storage, boolean agent) {

    static Roles of(Environment environment) {
        return new Roles(enabled(environment, "elastic.api.enabled"), enabled(environment, "elastic.storage.enabled"),
                enabled(environment, "elastic.agent.enabled"));
    }

    private static boolean enabled(Environment environment, String key) {
        return environment.getProperty(key, Boolean.class, true);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (api) {
            s.append("api ");
        }
        if (storage) {
            s.append("storage ");
        }
        if (agent) {
            s.append("agent ");
        }
        return s.isEmpty() ? "none" : s.toString().strip();
    }
}
