package io.elasticcloud.api.server;

import io.elasticcloud.api.security.ApiMasterKey;
import jakarta.persistence.PostLoad;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The column {@code server.vnc_password}: the password sealed (AES-256-GCM) with the API service's
 * master key and bound to its server's id, so the database's files and backups hold no VNC password
 * in clear, and a sealed value copied into another server's row opens nowhere but in its own.
 * {@link Server} seals through {@link #seal} when its configuration changes; Hibernate opens it on
 * each load through this entity listener (it gets it from Spring: it needs the key).
 */
@Component
public class SealedVncPassword {
    private static final Logger log = LoggerFactory.getLogger(SealedVncPassword.class);
    static final String CONTEXT = "elastic-cloud vnc password v1";

    private final ApiMasterKey key;
    /** Servers already warned about: one line each per process, however often they load. */
    private final Set<UUID> warned = ConcurrentHashMap.newKeySet();

    public SealedVncPassword(ApiMasterKey key) {
        this.key = key;
    }

    /** {@code password} sealed for server {@code id}; null for none. */
    public String seal(UUID id, String password) {
        return password == null ? null : key.seal(context(id), password);
    }

    /** What {@link #seal} sealed for the same server; fails under another key or for another server. */
    public String open(UUID id, String sealed) {
        return sealed == null ? null : key.open(context(id), sealed);
    }

    /** What an earlier build sealed with the context alone, bound to no server; only to seal it again. */
    String openUnbound(String sealed) {
        return key.open(CONTEXT, sealed);
    }

    /**
     * Opens a loaded server's password. One that cannot be opened (start refuses a wrong key, see
     * {@link SealedVncPasswordsCheck}; so this is a row changed or copied in the database) reads as
     * none, VNC off, its sealed value kept as it is until the owner sets {@code vnc:password} again.
     */
    @PostLoad
    void opened(Server server) {
        String sealed = server.sealedVncPassword();
        if (sealed == null) {
            return;
        }
        try {
            server.opened(open(server.id(), sealed));
        } catch (IllegalStateException e) {
            server.opened(null);
            if (warned.add(server.id())) {
                log.warn("the VNC password of server {} cannot be opened: {}; its VNC is off until its"
                        + " vnc:password is set again", server.id(), e.getMessage());
            }
        }
    }

    static String context(UUID id) {
        return CONTEXT + ":" + id;
    }
}
