package io.elasticcloud.api.support;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Counts the SQL statements a request executes, whoever issues them (Hibernate, JdbcTemplate,
 * Flyway alike): the application's {@link DataSource} is wrapped so that every {@code execute*}
 * of a statement made on a counted thread adds one. A request is counted when it carries
 * {@link #HEADER} with a token of the test's choosing ({@link #statements}); statements run on
 * other threads on its behalf (none do today) are not seen.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StatementCounter implements BeanPostProcessor, Filter {
    public static final String HEADER = "X-Test-Count-Statements";

    private static final ThreadLocal<List<String>> COUNTING = new ThreadLocal<>();
    private static final ThreadLocal<String> TOKEN = new ThreadLocal<>();
    private final Map<String, List<String>> counted = new ConcurrentHashMap<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof DataSource dataSource && !(bean instanceof Counting)) {
            return new Counting(dataSource);
        }
        return bean;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String token = ((HttpServletRequest) request).getHeader(HEADER);
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        List<String> executed = new ArrayList<>();
        COUNTING.set(executed);
        TOKEN.set(token);
        try {
            chain.doFilter(request, response);
        } finally {
            COUNTING.remove();
            TOKEN.remove();
            counted.put(token, List.copyOf(executed));
        }
    }

    /**
     * The token of the counted request this thread is serving, or null: what else a test counts
     * ({@link CountingTransport}) is told apart by it.
     */
    static String currentToken() {
        return TOKEN.get();
    }

    /**
     * The SQL of each statement the request sent with {@code token} executed, in order. The reply
     * can reach the client before the filter is done with it, so this waits (up to 5 s) for them.
     */
    public List<String> statements(String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!counted.containsKey(token)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no statement count for request " + token);
            }
            Thread.onSpinWait();
        }
        return counted.remove(token);
    }

    /** The SQL of each statement {@code work} executes on this thread, in order (a sweep's, say). */
    public List<String> during(Runnable work) {
        List<String> executed = new ArrayList<>();
        COUNTING.set(executed);
        try {
            work.run();
        } finally {
            COUNTING.remove();
        }
        return List.copyOf(executed);
    }

    /** {@code dataSource} with its statements counted, for a test that makes its own ({@link #during}). */
    public static DataSource counting(DataSource dataSource) {
        return new Counting(dataSource);
    }

    private static final class Counting extends DelegatingDataSource {
        Counting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return counting(Connection.class, super.getConnection(), null);
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return counting(Connection.class, super.getConnection(user, password), null);
        }
    }

    /**
     * {@code target} behind a proxy that records executions ({@code sql}: a prepared statement's)
     * and wraps the statements it makes.
     */
    private static <T> T counting(Class<T> type, T target, String sql) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            List<String> executed = COUNTING.get();
            if (executed != null && target instanceof Statement && name.startsWith("execute")) {
                executed.add(sql != null ? sql : args != null && args.length > 0 ? String.valueOf(args[0]) : name);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CallableStatement s && name.equals("prepareCall")) {
                return counting(CallableStatement.class, s, (String) args[0]);
            }
            if (result instanceof PreparedStatement s && name.equals("prepareStatement")) {
                return counting(PreparedStatement.class, s, (String) args[0]);
            }
            if (result instanceof Statement s && name.equals("createStatement")) {
                return counting(Statement.class, s, null);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
