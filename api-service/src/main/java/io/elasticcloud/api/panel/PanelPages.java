package io.elasticcloud.api.panel;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web pages served by the API service: the customers' control panel ({@code /panel/}) and the
 * operator's page ({@code /panel/admin.html}), static files from the jar ({@code classpath:/panel/}).
 * They hold no data and no secret: each page asks the API (the public calls, or Actuator for the
 * admin page) with the credentials typed into it, kept in the tab's {@code sessionStorage} and sent
 * as the API's Basic header by {@code fetch}, never in a cookie or a URL.
 *
 * <p>No page text comes from the API as markup: the scripts write API data with
 * {@code textContent} only, and {@link #CONTENT_SECURITY_POLICY} (on the pages' replies)
 * lets a page run only the service's own script files, no inline script, no other origin.
 */
@Configuration(proxyBeanMethods = false)
public class PanelPages implements WebMvcConfigurer {
    /** What the security chain lets anyone GET. */
    public static final String[] PATHS = {"/panel", "/panel/", "/panel/*"};
    /**
     * Scripts, styles, images and calls from this origin only; no inline script or style, no
     * plugin, no framing (clickjacking), no form posting elsewhere, no {@code <base>} rewriting.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The header the pages' calls carry (Spring Security's own sign of a script's call). */
    static final String PAGE_CALL_HEADER = "X-Requested-With";

    /** Whether {@code request} is one of the pages' own calls: to those a refusal has no Basic challenge. */
    public static boolean isPageCall(HttpServletRequest request) {
        return "XMLHttpRequest".equals(request.getHeader(PAGE_CALL_HEADER));
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/panel/*").addResourceLocations("classpath:/panel/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/panel", "/panel/index.html");
        registry.addRedirectViewController("/panel/", "/panel/index.html");
    }
}
