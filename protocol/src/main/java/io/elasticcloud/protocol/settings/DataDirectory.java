package io.elasticcloud.protocol.settings;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code elastic.data-dir}: the directory every service of a process keeps its files in (the API
 * service's database, keys and write spool; the storage nodes' volumes, keys and exports; the
 * agent's consoles). Bound here, once, with its one default; each service enables it with {@code
 * @EnableConfigurationProperties(DataDirectory.class)} (the same bean however many enable it)
 * and is given it, rather than reading the property on its own. The launcher, which sets the
 * directory's modes before any bean exists, binds this same record from the environment.
 *
 * @param dataDir the directory, as configured: default {@code ./data} of the working directory
 */
@ConfigurationProperties("elastic")
public record DataDirectory(@DefaultValue("./data") Path dataDir) {

    /** {@code other} inside the directory: {@code keys}, {@code tmp}, {@code volumes/NAME}... */
    public Path resolve(String other) {
        return dataDir.resolve(other);
    }
}
