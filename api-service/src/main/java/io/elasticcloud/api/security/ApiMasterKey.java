package io.elasticcloud.api.security;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.protocol.settings.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The API service's master key ({@code elastic.master-key-file}, default
 * {@code DATA_DIR/keys/master.key}: on the single host the storage node's own key file, so there is
 * one key to back up). It seals the secrets the database must give back in clear, such as VNC
 * passwords (libvirt needs them at each start; the owner sees them in {@code info}). With several
 * API instances every one needs the same file; without it, sealed values cannot be read.
 */
@Component
public class ApiMasterKey {
    private final MasterKey key;

    @Autowired
    public ApiMasterKey(ApiProperties properties, DataDirectory data) {
        try {
            if (properties.masterKeyFile() == null) {
                PrivateFiles.directory(ApiProperties.keysDir(data));
            }
            this.key = MasterKey.loadOrCreate(properties.masterKeyPath(data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the master key " + properties.masterKeyPath(data), e);
        }
    }

    private ApiMasterKey(MasterKey key) {
        this.key = key;
    }

    /** A key held in memory only, for tests. */
    public static ApiMasterKey random() {
        return new ApiMasterKey(MasterKey.random());
    }

    /** {@code text} sealed for {@code context} (what it is), as base64. */
    public String seal(String context, String text) {
        return Base64.getEncoder().encodeToString(key.seal(context, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** What {@link #seal} sealed; fails (never answering a wrong text) under another key or context. */
    public String open(String context, String sealed) {
        try {
            return new String(key.open(context, Base64.getDecoder().decode(sealed)), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new IllegalStateException("a sealed " + context + " cannot be opened with this master key"
                    + " (elastic.master-key-file): was the key file replaced?", e);
        }
    }
}
