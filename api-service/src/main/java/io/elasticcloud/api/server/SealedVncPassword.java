package io.elasticcloud.api.server;

import io.elasticcloud.api.security.ApiMasterKey;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The column {@code server.vnc_password}: the password sealed (AES-256-GCM) with the API service's
 * master key, so the database's files and its backups hold no VNC password in clear. Hibernate
 * gets this converter from Spring (it needs the key).
 */
@Component
@Converter
public class SealedVncPassword implements AttributeConverter<String, String> {
    private static final Logger log = LoggerFactory.getLogger(SealedVncPassword.class);
    static final String CONTEXT = "elastic-cloud vnc password v1";

    private final ApiMasterKey key;

    public SealedVncPassword(ApiMasterKey key) {
        this.key = key;
    }

    @Override
    public String convertToDatabaseColumn(String password) {
        return password == null ? null : key.seal(CONTEXT, password);
    }

    /**
     * The password; none when it cannot be opened (the master key file was replaced or lost): the
     * server then reads as one without VNC, still listed, set and started, rather than failing
     * every call that loads it, until its owner sets {@code vnc:password} again.
     */
    @Override
    public String convertToEntityAttribute(String sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            return key.open(CONTEXT, sealed);
        } catch (IllegalStateException e) {
            log.warn("{}; that server's VNC is off until its vnc:password is set again", e.getMessage());
            return null;
        }
    }
}
