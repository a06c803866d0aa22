package io.elasticcloud.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which pages may open a console: the API's own address (the request's Host), or one configured. */
class ConsoleOriginTest {
    private static final List<String> CONFIGURED = List.of("https://panel.example.com");

    @ParameterizedTest(name = "{0}: Origin {1}, Host {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            the API's own page                     | http://127.0.0.1:8080      | 127.0.0.1:8080      | true
            host names are case-insensitive        | http://Cloud.Example.COM   | cloud.example.com   | true
            https, default port on both sides      | https://cloud.example.com  | cloud.example.com   | true
            https, default port written in Host    | https://cloud.example.com  | cloud.example.com:443 | true
            http, default port written in Origin   | http://cloud.example.com:80 | cloud.example.com  | true
            IPv6                                   | http://[::1]:8080          | [::1]:8080          | true
            a configured page                      | https://panel.example.com  | cloud.example.com   | true
            another site                           | http://evil.example        | 127.0.0.1:8080      | false
            another port of the same host          | http://127.0.0.1:8081      | 127.0.0.1:8080      | false
            a suffix of the host                   | http://cloud.example.com.evil.example | cloud.example.com | false
            the host as a user part                | http://cloud.example.com@evil.example | cloud.example.com | false
            no Origin (not a browser)              | null                       | 127.0.0.1:8080      | false
            an opaque origin (sandboxed page, file) | null                      | 127.0.0.1:8080      | false
            the literal origin null                | 'null'                     | 127.0.0.1:8080      | false
            a file page                            | file://                    | 127.0.0.1:8080      | false
            another scheme                         | ftp://127.0.0.1:8080       | 127.0.0.1:8080      | false
            an origin with a path                  | http://127.0.0.1:8080/x    | 127.0.0.1:8080      | false
            no Host                                | http://127.0.0.1:8080      | null                | false
            """)
    void allowed(String why, String origin, String host, boolean allowed) {
        assertThat(ConsoleSocketController.originAllowed(origin, host, CONFIGURED)).as(why).isEqualTo(allowed);
    }
}
