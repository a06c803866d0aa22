package io.elasticcloud.api.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.ContextConfiguration;

/**
 * A test class on the production database, PostgreSQL ({@link PostgresDatabase}), tagged
 * {@code postgres} so that the quick loop ({@code -Pquick}) leaves it out.
 *
 * <p>The database comes with the Spring context, not with the class: every class that says this
 * and otherwise configures nothing of its own has the same context key, so they share one cached
 * context and one database, as the H2 classes share theirs. A {@code @DynamicPropertySource} per
 * class would give each class a context of its own (a boot each, and its connections held until the
 * JVM ends). Sharing is safe for the same reason it is on H2: every test makes its own customers
 * (ApiTestBase) and removes the servers and resources it made (ServerTestBase, ResourceTestBase).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("postgres")
@ContextConfiguration(initializers = PostgresDatabase.class)
public @interface OnPostgres {
}
