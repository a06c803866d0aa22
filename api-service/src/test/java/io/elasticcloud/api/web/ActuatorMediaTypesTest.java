package io.elasticcloud.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

class ActuatorMediaTypesTest {

    // An empty column is a header not sent; the last column is the refusal, empty when accepted.
    @ParameterizedTest(name = "Accept [{0}] Content-Type [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                         | NULL                  | NULL",
        "application/json             | application/json      | NULL",
        "'application/vnd.spring-boot.actuator.v3+json, */*;q=0.5' | NULL | NULL",
        "' '                          | NULL                  | NULL",
        "text/plain;q=0.1             | 'application/json; charset=utf-8' | NULL",
        "','                          | NULL                  | 'Accept \",\" is not a list of media types'",
        "';'                          | NULL                  | 'Accept \";\" is not a list of media types'",
        "'application/json,'          | NULL                  | 'Accept \"application/json,\" is not a list of media types'",
        "'a/b/c'                      | NULL                  | 'Accept \"a/b/c\" is not a list of media types'",
        "NULL                         | '*/*'                 | 'Content-Type \"*/*\" is not one media type'",
        "NULL                         | 'application/*'       | 'Content-Type \"application/*\" is not one media type'",
        "NULL                         | ';'                   | 'Content-Type \";\" is not one media type'",
        "NULL                         | 'garbage'             | 'Content-Type \"garbage\" is not one media type'",
    })
    void mediaTypeHeaders(String accept, String contentType, String refusal) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/actuator/users");
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        if (contentType != null) {
            request.setContentType(contentType);
        }
        assertEquals(refusal, ActuatorMediaTypes.wrongHeader(request));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/actuator/health", "/%61ctuator/health", "/actuator;x=1/health", "/%2561ctuator/health"})
    void everySpellingOfTheActuatorsPathIsChecked(String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        assertEquals(uri.contains("%25"), new ActuatorMediaTypes().shouldNotFilter(request), uri);
    }
}
