package io.elasticcloud.launcher;

import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.TypeFilter;

/**
 * Leaves the API service's components out of the scan when {@code elastic.api.enabled} is false.
 * (The storage service and the node agent have one configuration class each, conditional on
 * their own switch.)
 */
public class RoleFilter implements TypeFilter, EnvironmentAware {
    static final String API_PACKAGE = "io.elasticcloud.api.";

    private Roles roles;

    @Override
    public void setEnvironment(Environment environment) {
        roles = Roles.of(environment);
    }

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        return roles != null && !roles.api() && reader.getClassMetadata().getClassName().startsWith(API_PACKAGE);
    }
}
