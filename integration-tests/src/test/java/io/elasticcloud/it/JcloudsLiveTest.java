package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jclouds.elasticstack.ElasticStackApiLiveTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testng.IAnnotationTransformer;
import org.testng.IConfigurationListener;
import org.testng.ITestListener;
import org.testng.ITestNGMethod;
import org.testng.ITestResult;
import org.testng.TestNG;
import org.testng.annotations.ITestAnnotation;

/**
 * jclouds' own live test of its {@code elasticstack} api, {@code ElasticStackApiLiveTest} from the
 * unmodified 2.7.0 tests jar, run through TestNG against the packaged system with real guests, at
 * api-version 1.0 and 2.0, through the load balancer before two API instances ({@link
 * StandardGuestSystem}): every test method runs and passes, none is skipped.
 *
 * <p>One method is left out, {@code testConnectivity}, by TestNG's own means (an annotation
 * transformer disables it, and the method that depends on it, {@code testLifeCycle}, depends on
 * what it depended on instead: {@code testCreateAndStartServer}): it logs in over
 * SSH as {@code toor} and opens VNC on port 5900 of {@code vnc:ip}; the test guest
 * (deploy/build-test-guest.sh, a busybox initramfs) runs no SSH server, and a console listens on
 * the pool's mapped loopback address, not on {@code vnc:ip} itself (docs/api.md, "vnc").
 * RealServerTest and VncTlsTest reach guests and consoles the way this system serves them.
 *
 * <p>The image is the test guest as a gzipped standard drive; the live test images its 1 GiB drive
 * from it with {@code gunzip}, as jclouds' compute service does.
 */
class JcloudsLiveTest {
    private static final String IMAGE = SharedGuestSystem.IMAGE;
    private static final String LEFT_OUT = "testConnectivity";
    @RegisterExtension
    static final SharedGuestSystem CLOUD = new SharedGuestSystem();
    private static StandardGuestSystem cloud;

    @BeforeAll
    static void startSystem() {
        cloud = CLOUD.get();
    }

    @ParameterizedTest(name = "jclouds.api-version {0}")
    @ValueSource(strings = {"1.0", "2.0"})
    void jcloudsOwnLiveTestPasses(String apiVersion) {
        Customer customer = cloud.api.createCustomer();
        Map<String, String> properties = Map.of(
                "test.elasticstack.endpoint", cloud.endpoint().toString(),
                "test.elasticstack.identity", customer.uuid(),
                "test.elasticstack.credential", customer.key(),
                "test.elasticstack.api-version", apiVersion,
                "test.elasticstack.template", "imageId=" + IMAGE);
        properties.forEach(System::setProperty);
        Results results = new Results();
        long[] before = cloud.answered();
        try {
            TestNG testng = new TestNG(false);
            testng.setUseDefaultListeners(false);
            testng.setVerbose(0);
            testng.setTestClasses(new Class<?>[] {ElasticStackApiLiveTest.class});
            testng.addListener(new LeaveOutConnectivity());
            testng.addListener(results);
            testng.run();
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }

        results.outcomes.forEach((test, outcome) ->
                System.out.printf("ElasticStackApiLiveTest api-version %s: %s %s%n", apiVersion, test, outcome));
        assertThat(results.configurationFailures).as("configuration methods that failed").isEmpty();
        List<String> expected = Arrays.stream(ElasticStackApiLiveTest.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("test"))
                .map(Method::getName).filter(name -> !name.equals(LEFT_OUT)).sorted().toList();
        assertThat(expected).as("the live test's methods").hasSizeGreaterThanOrEqualTo(17);
        Map<String, String> passed = new TreeMap<>();
        expected.forEach(name -> passed.put(name, "passed"));
        assertThat(new TreeMap<>(results.outcomes)).isEqualTo(passed);
        cloud.assertBothInstancesAnsweredSince(before);
    }

    /**
     * Disables {@link #LEFT_OUT}; a method that depends on it depends on what it depended on
     * instead, so that it still runs after them (ignoring the missing dependency would let TestNG
     * run it first, before the server it works on exists).
     */
    public static final class LeaveOutConnectivity implements IAnnotationTransformer {
        @Override
        public void transform(ITestAnnotation annotation, Class testClass, Constructor testConstructor,
                              Method testMethod) {
            if (testMethod == null) {
                return;
            }
            List<String> dependsOn = Arrays.asList(annotation.getDependsOnMethods());
            if (testMethod.getName().equals(LEFT_OUT)) {
                annotation.setEnabled(false);
            } else if (dependsOn.contains(LEFT_OUT)) {
                Set<String> instead = new LinkedHashSet<>(dependsOn);
                instead.remove(LEFT_OUT);
                instead.addAll(Arrays.asList(leftOutDependsOn()));
                annotation.setDependsOnMethods(instead.toArray(String[]::new));
            }
        }

        private static String[] leftOutDependsOn() {
            try {
                return ElasticStackApiLiveTest.class.getMethod(LEFT_OUT)
                        .getAnnotation(org.testng.annotations.Test.class).dependsOnMethods();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("the live test has no " + LEFT_OUT, e);
            }
        }
    }

    /** Each test method's outcome, and the configuration methods that failed (their tests are then skipped). */
    public static final class Results implements ITestListener, IConfigurationListener {
        final Map<String, String> outcomes = new ConcurrentHashMap<>();
        final Map<String, String> configurationFailures = new ConcurrentHashMap<>();

        @Override
        public void onTestSuccess(ITestResult result) {
            outcomes.put(name(result), "passed");
        }

        @Override
        public void onTestFailure(ITestResult result) {
            outcomes.put(name(result), "FAILED: " + result.getThrowable());
            if (result.getThrowable() != null) {
                result.getThrowable().printStackTrace(System.out);
            }
        }

        @Override
        public void onTestSkipped(ITestResult result) {
            outcomes.put(name(result), "SKIPPED: " + result.getThrowable());
        }

        @Override
        public void onTestFailedButWithinSuccessPercentage(ITestResult result) {
            onTestFailure(result);
        }

        @Override
        public void onConfigurationFailure(ITestResult result) {
            configurationFailures.put(name(result), String.valueOf(result.getThrowable()));
            if (result.getThrowable() != null) {
                result.getThrowable().printStackTrace(System.out);
            }
        }

        private static String name(ITestResult result) {
            ITestNGMethod method = result.getMethod();
            return method.getMethodName();
        }
    }
}
