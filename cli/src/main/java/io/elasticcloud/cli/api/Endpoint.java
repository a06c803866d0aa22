package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the API is and who calls it. From the variables the ElasticHosts tools use
 * ({@code EHURI}, {@code EHAUTH=UUID:KEY}), else from the config file ({@code uri} and
 * {@code auth} lines; {@code $ELASTIC_CONFIG}, else {@code $XDG_CONFIG_HOME/elastic/config}, else
 * {@code ~/.config/elastic/config}). The key never appears in {@link #toString()} nor in any
 * message.
 */
public final class Endpoint {
    private final URI base;
    private final String user;
    private final String key;

    public Endpoint(URI base, String user, String key) {
        this.base = base;
        this.user = user;
        this.key = key;
    }

    public URI base() {
        return base;
    }

    public String user() {
        return user;
    }

    /** The {@code Authorization} header value (HTTP Basic). */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The URI of an API path such as {@code /drives/list}, under the base (which may end in /api/). */
    public URI resolve(String path) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + path);
    }

    @Override
    public String toString() {
        return base + " as " + user;
    }

    /** The endpoint for this environment; {@code uriOption} (from {@code --uri}) wins over both. */
    public static Endpoint resolve(Map<String, String> env, Optional<String> uriOption, PrintStream warnings) {
        Path configFile = configFile(env);
        Map<String, String> config = readConfig(configFile, warnings);
        String uri = uriOption.or(() -> nonBlank(env.get("EHURI"))).orElse(config.get("uri"));
        String auth = nonBlank(env.get("EHAUTH")).orElse(config.get("auth"));
        if (uri == null || uri.isBlank()) {
            throw config("no endpoint: set EHURI (e.g. http://127.0.0.1:8080/) or uri in " + configFile);
        }
        if (auth == null || auth.isBlank()) {
            throw config("no credentials: set EHAUTH=UUID:KEY or auth in " + configFile);
        }
        int colon = auth.indexOf(':');
        if (colon <= 0 || colon == auth.length() - 1) {
            // never echo what was given: it may be the key alone
            throw config("EHAUTH (or auth in the config file) must be UUID:KEY");
        }
        return new Endpoint(parseUri(uri), auth.substring(0, colon).strip(), auth.substring(colon + 1).strip());
    }

    public static Path configFile(Map<String, String> env) {
        Optional<String> explicit = nonBlank(env.get("ELASTIC_CONFIG"));
        if (explicit.isPresent()) {
            return Path.of(explicit.get());
        }
        Optional<String> xdg = nonBlank(env.get("XDG_CONFIG_HOME"));
        Path base = xdg.map(Path::of).orElseGet(() ->
                Path.of(nonBlank(env.get("HOME")).orElse(System.getProperty("user.home")), ".config"));
        return base.resolve("elastic").resolve("config");
    }

    /** {@code key value} lines ({@code key=value} also), {@code #} comments. */
    static Map<String, String> readConfig(Path file, PrintStream warnings) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.println("elastic: warning: " + file + " holds a secret key and others may read it; "
                        + "chmod 600 " + file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not POSIX: nothing to check
        }
        try {
            java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int cut = indexOfSeparator(l);
                if (cut < 0) {
                    continue;
                }
                String value = l.substring(cut + 1).strip();
                if (value.startsWith("=")) { // "auth = UUID:KEY"
                    value = value.substring(1).strip();
                }
                map.put(l.substring(0, cut).strip(), value);
            }
            return map;
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", file, e.getMessage());
        }
    }

    private static int indexOfSeparator(String l) {
        int space = l.indexOf(' ');
        int eq = l.indexOf('=');
        if (space < 0) {
            return eq;
        }
        return eq < 0 ? space : Math.min(space, eq);
    }

    /** Refuses (exit 2, type config) what is not an http(s) URL fit to be the endpoint. */
    public static void checkUri(String text) {
        parseUri(text);
    }

    private static URI parseUri(String text) {
        try {
            URI u = new URI(text.strip());
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())
                    || u.getHost() == null) {
                throw config("EHURI must be an http:// or https:// URL such as http://127.0.0.1:8080/");
            }
            if (u.getUserInfo() != null) {
                throw config("put the credentials in EHAUTH, not in EHURI");
            }
            return u;
        } catch (URISyntaxException e) {
            throw config("EHURI is not a URL");
        }
    }

    private static CliException config(String message) {
        return new CliException(ExitCode.COMMAND_LINE, "config", message);
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
