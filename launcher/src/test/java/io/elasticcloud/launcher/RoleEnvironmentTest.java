package io.elasticcloud.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.mock.env.MockEnvironment;

/** Which parts a process runs, and what a process without the API leaves out. */
class RoleEnvironmentTest {

    @Test
    void theSingleHostRunsAllThreeAndKeepsItsDatabaseAndWebServer() {
        MockEnvironment env = new MockEnvironment();
        new RoleEnvironment().postProcessEnvironment(env, new SpringApplication());
        assertThat(Roles.of(env)).isEqualTo(new Roles(true, true, true));
        assertThat(env.getPropertySources().contains(RoleEnvironment.SOURCE)).isFalse();
        assertThat(env.getProperty("spring.main.web-application-type")).isNull();
    }

    @Test
    void withoutTheApiThereIsNoDatabaseNoJpaNoFlywayAndOnlyTheManagementPort() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("elastic.api.enabled", "false")
                .withProperty("elastic.agent.enabled", "false")
                .withProperty("spring.autoconfigure.exclude", "com.example.OperatorsOwn")
                .withProperty("server.port", "8080");
        new RoleEnvironment().postProcessEnvironment(env, new SpringApplication());
        assertThat(Roles.of(env)).isEqualTo(new Roles(false, true, false));
        assertThat(Roles.of(env)).hasToString("storage");
        assertThat(env.getProperty("server.port")).as("never the public port").isEqualTo("8081");
        assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(env.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health,prometheus,metrics");
        assertThat(env.getProperty("spring.autoconfigure.exclude").split(","))
                .contains("com.example.OperatorsOwn")
                .containsAll(RoleEnvironment.WITHOUT_API)
                .anyMatch(c -> c.endsWith(".DataSourceAutoConfiguration"))
                .anyMatch(c -> c.endsWith(".FlywayAutoConfiguration"))
                .anyMatch(c -> c.endsWith(".HibernateJpaAutoConfiguration"));
        for (String excluded : RoleEnvironment.WITHOUT_API) {
            assertThat(isPresent(excluded)).as(excluded + " exists under that name").isTrue();
        }
    }

    @Test
    void theManagementPortAndAddressAreTheOperatorsToChoose() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("elastic.api.enabled", "false")
                .withProperty("elastic.management.port", "9101")
                .withProperty("elastic.management.address", "10.0.0.7");
        new RoleEnvironment().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("server.port")).isEqualTo("9101");
        assertThat(env.getProperty("server.address")).isEqualTo("10.0.0.7");
    }

    @Test
    void theScanLeavesTheApiServiceOutOnlyWithoutTheApiRole() throws Exception {
        SimpleMetadataReaderFactory readers = new SimpleMetadataReaderFactory();
        var api = readers.getMetadataReader("io.elasticcloud.api.ApiServiceConfiguration");
        var storage = readers.getMetadataReader("io.elasticcloud.storage.StorageConfiguration");
        RoleFilter filter = new RoleFilter();
        filter.setEnvironment(new MockEnvironment().withProperty("elastic.api.enabled", "false"));
        assertThat(filter.match(api, readers)).isTrue();
        assertThat(filter.match(storage, readers)).isFalse();
        filter.setEnvironment(new MockEnvironment());
        assertThat(filter.match(api, readers)).isFalse();
    }

    private static boolean isPresent(String className) {
        return org.springframework.util.ClassUtils.isPresent(className, RoleEnvironmentTest.class.getClassLoader());
    }
}
