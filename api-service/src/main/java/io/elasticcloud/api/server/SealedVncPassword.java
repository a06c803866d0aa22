package io.elasticcloud.api.server;

import io.elasticcloud.api.security.ApiMasterKey;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.springframework.stereotype.Component;

/**
 * The column {@code server.vnc_password}: the password sealed (AES-256-GCM) with the API service's
 * master key, so the database's files and its backups hold no VNC password in clear. Hibernate
 * gets this converter from Spring (it needs the key).
 */
@Component
@Converter
public class SealedVncPassword implements AttributeConverter<String, String> {
    static final String CONTEXT = "elastic-cloud vnc password v1";

    private final ApiMasterKey key;

    public SealedVncPassword(ApiMasterKey key) {
        this.key = key;
    }

    @Override
    public String convertToDatabaseColumn(String password) {
        return password == null ? null : key.seal(CONTEXT, password);
    }

    @Override
    public String convertToEntityAttribute(String sealed) {
        return sealed == null ? null : key.open(CONTEXT, sealed);
    }
}
