package io.elasticcloud.api.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * No request body of this API is multipart: a drive write's body is the bytes to write, whatever
 * its {@code Content-Type}. Spring's own resolver would parse a {@code multipart/form-data} body
 * before any controller runs: a malformed one was a 500, a well-formed one was consumed and the
 * write got nothing. This resolver, under the name the DispatcherServlet looks for, sees no
 * multipart request at all (Boot's own one steps aside for it).
 */
@Configuration(proxyBeanMethods = false)
public class RawBodies {

    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver noMultipart() {
        return new MultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return false;
            }

            @Override
            public MultipartHttpServletRequest resolveMultipart(HttpServletRequest request) {
                throw new IllegalStateException("no request of this API is multipart");
            }

            @Override
            public void cleanupMultipart(MultipartHttpServletRequest request) {
                // nothing was resolved
            }
        };
    }
}
