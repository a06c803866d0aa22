package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile-input fuzzer's generator: from one seeded {@link Random}, requests over every
 * endpoint (drives, servers, resources, billing, ping, under {@code /} and {@code /api/}, and the
 * admin's Actuator endpoints), mutating the method, path segments (ids, sizes, offsets), headers
 * (Accept, Content-Type, Content-Encoding, Content-Length, Authorization) and bodies (keys,
 * values, numbers, encodings, broken JSON, multipart, gzip garbage). Same seed and same world,
 * same requests.
 */
final class FuzzRequests {

    /** What the generator may name: each customer's ids as they are now, and everyone's credentials. */
    record World(Map<String, String> authorization, Map<String, List<String>> drives,
                 Map<String, List<String>> servers, Map<String, List<String>> resources,
                 String sacrificialUser, String hostNode) {
    }

    /** One endpoint: method, path template, whether it changes state, what body it takes. */
    private record Endpoint(String method, String template, boolean mutating, Body body, boolean admin) {
    }

    private enum Body { NONE, DRIVE, SERVER, RESOURCE, DATA, USER_ACTION, MAINTENANCE, ANY_JSON }

    private static final List<Endpoint> ENDPOINTS = List.of(
            e("GET", "/drives/list"), e("POST", "/drives/info"), e("GET", "/drives/list/standard"),
            e("GET", "/drives/info/standard"), m("/drives/create", Body.DRIVE), e("GET", "/drives/{d}/info"),
            m("/drives/{d}/set", Body.DRIVE), m("/drives/{d}/destroy", Body.NONE),
            m("/drives/{d}/image/{d}", Body.NONE), m("/drives/{d}/image/{d}/{conv}", Body.NONE),
            e("GET", "/drives/{d}/read/{n}/{n}"), e("POST", "/drives/{d}/read/{n}/{n}"),
            m("/drives/{d}/write", Body.DATA), m("/drives/{d}/write/{n}", Body.DATA),
            e("GET", "/servers/list"), e("GET", "/servers/info"), m("/servers/create", Body.SERVER),
            m("/servers/create/stopped", Body.SERVER), e("GET", "/servers/{s}/info"), m("/servers/{s}/set", Body.SERVER),
            m("/servers/{s}/start", Body.NONE), m("/servers/{s}/stop", Body.NONE), m("/servers/{s}/shutdown", Body.NONE),
            m("/servers/{s}/reset", Body.NONE), m("/servers/{s}/destroy", Body.NONE),
            m("/servers/{s}/console", Body.NONE), e("GET", "/console/websocket"), e("GET", "/console/{junk}"),
            e("GET", "/resources/list"), e("GET", "/resources/info"), e("GET", "/resources/{t}/list"),
            e("GET", "/resources/{t}/info"), m("/resources/{t}/create", Body.RESOURCE), e("GET", "/resources/{t}/{r}/info"),
            m("/resources/{t}/{r}/set", Body.RESOURCE), m("/resources/{t}/{r}/destroy", Body.NONE),
            e("GET", "/billing/info"), e("GET", "/billing/ledger/info"), e("GET", "/ping"), e("GET", "/error"),
            e("GET", "/{junk}"), m("/{junk}/{junk}", Body.ANY_JSON),
            a("GET", "/actuator/users", Body.NONE), a("POST", "/actuator/users", Body.ANY_JSON),
            a("GET", "/actuator/users/{u}", Body.NONE), a("POST", "/actuator/users/{u}", Body.USER_ACTION),
            a("GET", "/actuator/hosts", Body.NONE), a("POST", "/actuator/hosts/{node}", Body.MAINTENANCE),
            a("GET", "/actuator/storagenodes", Body.NONE), a("GET", "/actuator/ippools", Body.NONE),
            a("GET", "/actuator/audit", Body.NONE), a("GET", "/actuator/library", Body.NONE),
            a("POST", "/actuator/library", Body.ANY_JSON), a("GET", "/actuator/billing", Body.NONE),
            a("POST", "/actuator/billing", Body.ANY_JSON), a("GET", "/actuator/health", Body.NONE));

    private static final String[] DRIVE_KEYS = {"name", "size", "claim:type", "readers", "tags", "encryption:cipher",
        "tier", "avoid", "user:note", "status", "claimed", "imaging"};
    private static final String[] SERVER_KEYS = {"name", "cpu", "mem", "smp", "persistent", "boot", "ide:0:0", "block:0",
        "ide:0:0:media", "nic:0:model", "nic:0:mac", "nic:0:dhcp", "nic:1:vlan", "nic:1:model", "vnc", "vnc:password",
        "password", "vnc:tls", "tags", "avoid:servers", "avoid:drives", "user:note", "status", "started", "smp:cores"};
    private static final String[] RESOURCE_KEYS = {"name", "tags", "user:note", "type", "netmask"};
    private static final String[] VALUES = {"x", "", " ", "ok name", "1M", "4k", "1", "0", "-1", "500", "128", "2048",
        "auto", "e1000", "virtio", "true", "false", "on", "off", "shared", "exclusive", "none", "aes-xts-plain", "disk",
        "cdrom", "ide:0:0", "block:0 ide:0:0", "52:54:00:12:34:56", "01:00:5e:00:00:01", "169.254.10.7",
        "99999999999999999999", "9223372036854775807", "18446744073709551616", "1e2147483648", "1E+400", "0x10",
        "1.5", "NaN", "\u0661\u0662\u0663", " 7 ", "4MB", "1T", "a\tb", "a\u0085b", "a\u009fb", "a\uFFFEb", "\uFFFF",
        "\uFDD0", "\uD83D\uDE00", "\uDBFF\uDFFF", "\u202E\u200B", "é\u0301", "x".repeat(257), "y".repeat(2000),
        "<domain/>", "]]>&amp;", "'\"", "%s%n", "../../etc/passwd", "\\", "\u00ff\u00fe"};
    private static final String[] JSON_RAW = {"1e2147483648", "-1e-2147483649", "1E+2147483647", "10e2147483647",
        "123456789012345678901234567890", "-0", "0.0000001", "1e100", "true", "null", "[]", "[1,2]", "[null]",
        "[\"a b\"]", "{\"a\":1}", "\"\\ud800\"", "\"a\\udc00\"", "\"\\ufffe\"", "\"\\u0000\"", "\"\\n\"",
        "\"" + "\\ud83d\\ude00" + "\"", "1.5", "NaN", "Infinity", "'x'", "0x10", "01"};
    private static final String[] ACCEPT = {"text/plain", "application/json", ";", ",", ";;", "*/*", "*/*;q=x",
        "application/json;q=0", "application/json;q=1e99999", "application/*, text/*;q=2", "text/html",
        ", ; application/json", "application/json;", "/", "a/b/c", " ", "application/json, application/json;q=0"};
    private static final String[] CONTENT_TYPE = {"text/plain", "application/json", ";", ";;charset=", "application/json;",
        "multipart/form-data; boundary=xyz", "multipart/form-data", "application/x-www-form-urlencoded",
        "application/json; charset=latin1", "application/octet-stream", "text/plain; charset=utf-16", "garbage",
        "application/json, text/plain", "*/*", "multipart/mixed; boundary=\"\""};
    private static final String[] ENCODING = {"gzip", "x-gzip", "identity", "br", "deflate", "gzip, gzip", "GZIP", ";", ""};
    private static final String[] NUMBERS = {"0", "1", "512", "4k", "1M", "4M", "4194305", "-1", "1e3", "0x10", "1MB",
        "99999999999999999999", "9223372036854775807", "9223372036854775808", "4T", "1G", "", "%20", "k", "00000000001"};

    private final Random random;
    private final World world;

    FuzzRequests(long seed, World world) {
        this(new Random(seed), world);
    }

    private FuzzRequests(Random random, World world) {
        this.random = random;
        this.world = world;
    }

    /** The same sequence of choices, now naming what {@code changed} holds. */
    FuzzRequests with(World changed) {
        return new FuzzRequests(random, changed);
    }

    FuzzRequest next() {
        Endpoint endpoint = pick(ENDPOINTS);
        String actor = endpoint.admin ? (chance(85) ? "admin" : pick(List.of("alice", "nobody", "broken")))
                : chance(80) ? "alice" : pick(List.of("bob", "admin", "nobody", "broken"));
        String method = chance(88) ? endpoint.method : pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD",
                "OPTIONS"));
        String path = (endpoint.admin || !chance(30) ? "" : "/api") + fill(endpoint.template, actor);
        List<String[]> headers = new ArrayList<>();
        String authorization = authorization(actor);
        if (authorization != null) {
            headers.add(new String[] {"Authorization", authorization});
        }
        if (chance(50)) {
            headers.add(new String[] {"Accept", pick(List.of(ACCEPT))});
        }
        byte[] body = body(endpoint.body, headers);
        if (body == null && chance(15)) {
            body = bytes(random.nextInt(64));
        }
        boolean chunked = body != null && chance(10);
        String length = body != null && !chunked && chance(4) ? Integer.toString(random.nextInt(body.length + 1)) : null;
        boolean mutating = endpoint.mutating || !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        return new FuzzRequest(actor, method, path, headers, body, chunked, length, mutating);
    }

    private String fill(String template, String actor) {
        String path = template;
        while (path.contains("{")) {
            int open = path.indexOf('{');
            int close = path.indexOf('}', open);
            String slot = path.substring(open + 1, close);
            String value = switch (slot) {
                case "d" -> id(world.drives, actor);
                case "s" -> id(world.servers, actor);
                case "r" -> id(world.resources, actor);
                case "t" -> pick(List.of("ip", "vlan", "ip", "vlan", "IP", "x", "drives"));
                case "n" -> pick(List.of(NUMBERS));
                case "conv" -> pick(List.of("gzip", "gunzip", "zip", "GZIP", ""));
                case "u" -> chance(60) ? world.sacrificialUser : chance(50) ? UUID.randomUUID().toString() : junk();
                case "node" -> chance(70) ? world.hostNode : junk();
                default -> junk();
            };
            path = path.substring(0, open) + value + path.substring(close + 1);
        }
        return path;
    }

    /** Mostly one of the actor's own ids; else another customer's, a stranger's, or not an id at all. */
    private String id(Map<String, List<String>> ids, String actor) {
        List<String> own = ids.getOrDefault(actor, List.of());
        List<String> others = ids.entrySet().stream().filter(e -> !e.getKey().equals(actor))
                .flatMap(e -> e.getValue().stream()).toList();
        int roll = random.nextInt(100);
        if (roll < 55 && !own.isEmpty()) {
            String id = pick(own);
            return chance(10) ? id.toUpperCase(java.util.Locale.ROOT) : id;
        }
        if (roll < 80 && !others.isEmpty()) {
            return pick(others);
        }
        return roll < 90 ? UUID.randomUUID().toString() : junk();
    }

    private String junk() {
        // segments Tomcat itself refuses (bytes that are not UTF-8, %00, %2F): answered in the API's form too
        if (chance(20)) {
            return pick(List.of("%FF", "%ED%A0%80", "%C0%AF", "%00", "%2F", "%5C", "%25", "a%2Fb"));
        }
        return pick(List.of("x", "info", "list", "12345678-1234-1234-1234-12345678901z", "a".repeat(300), "%C3%A9",
                "%EF%BF%BE", "~", "..x", "-", "null", "0", "create;x=1", "%20"));
    }

    private String authorization(String actor) {
        return switch (actor) {
            case "alice", "bob", "admin" -> world.authorization.get(actor);
            case "nobody" -> null;
            default -> pick(List.of("Basic ###", "Basic " + base64(UUID.randomUUID() + ":wrong"), "Bearer x", "Basic",
                    "Basic " + base64("no-colon"), "Basic " + base64(":"), "Digest a=b",
                    world.authorization.get("alice") + "x", "Basic " + base64("é:\u00ff")));
        };
    }

    private byte[] body(Body kind, List<String[]> headers) {
        return switch (kind) {
            case NONE -> null;
            case DRIVE -> properties(DRIVE_KEYS, headers);
            case SERVER -> properties(SERVER_KEYS, headers);
            case RESOURCE -> properties(RESOURCE_KEYS, headers);
            case DATA -> data(headers);
            case USER_ACTION -> json(headers, "{\"action\":" + pick(List.of("\"disable\"", "\"enable\"", "\"rotate-key\"",
                    "\"x\"", "null", "1", "[\"enable\"]", "{}")) + "}");
            case MAINTENANCE -> json(headers, "{\"maintenance\":" + pick(List.of("false", "\"false\"", "\"x\"", "null",
                    "1e2147483648", "[]")) + "}");
            case ANY_JSON -> json(headers, pick(List.of("{", "{}", "[]", "{\"user\":\"x\"}", "{\"a\":1e2147483648}",
                    "{\"a\":\"\\ud800\"}", "null", "\"x\"", "{\"credit\":\"-1\"}", "{\"amount\":1e400}", "\u00ff")));
        };
    }

    private byte[] json(List<String[]> headers, String text) {
        headers.add(new String[] {"Content-Type", chance(85) ? "application/json" : pick(List.of(CONTENT_TYPE))});
        return mutate(text.getBytes(UTF_8), headers);
    }

    /** Keys and values of a command, in text or JSON, then mutated as a whole. */
    private byte[] properties(String[] keys, List<String[]> headers) {
        boolean json = chance(45);
        String type = chance(85) ? (json ? "application/json" : pick(List.of("text/plain", "text/plain; charset=utf-8")))
                : pick(List.of(CONTENT_TYPE));
        if (!chance(10)) {
            headers.add(new String[] {"Content-Type", type});
        }
        int count = random.nextInt(6);
        StringBuilder text = new StringBuilder(json ? "{" : "");
        for (int i = 0; i < count; i++) {
            String key = chance(90) ? pick(List.of(keys)) : pick(List.of("", "na me", "user:", "user:" + "k".repeat(70),
                    "x", "NAME", "user:\u00e9", "user:a\u0085"));
            String value = value(key);
            if (json) {
                text.append(i == 0 ? "" : ",").append(jsonString(key)).append(':')
                        .append(chance(25) ? pick(List.of(JSON_RAW)) : jsonString(value));
            } else {
                text.append(key).append(chance(95) ? " " : "\t").append(value).append(chance(90) ? "\n" : "\r\n");
            }
        }
        text.append(json ? "}" : "");
        return mutate(text.toString().getBytes(UTF_8), headers);
    }

    private String value(String key) {
        if (chance(30)) {
            List<String> all = new ArrayList<>();
            world.drives.values().forEach(all::addAll);
            world.servers.values().forEach(all::addAll);
            world.resources.values().forEach(all::addAll);
            if (!all.isEmpty()) {
                return pick(all);
            }
        }
        return key.equals("name") && chance(40) ? "fuzz " + random.nextInt(1000) : pick(List.of(VALUES));
    }

    private byte[] data(List<String[]> headers) {
        if (chance(10)) {
            headers.add(new String[] {"Content-Type", pick(List.of(CONTENT_TYPE))});
        }
        int roll = random.nextInt(100);
        if (roll < 15) {
            headers.add(new String[] {"Content-Encoding", pick(List.of(ENCODING))});
            return bytes(random.nextInt(300));
        }
        if (roll < 25) {
            headers.add(new String[] {"Content-Encoding", "gzip"});
            return gzip(bytes(random.nextInt(5000)));
        }
        if (roll < 35) {
            headers.add(new String[] {"Content-Type", "multipart/form-data; boundary=xyz"});
            return ("--xyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + "d".repeat(random.nextInt(100))
                    + (chance(50) ? "\r\n--xyz--\r\n" : "")).getBytes(UTF_8);
        }
        return bytes(random.nextInt(roll < 90 ? 4096 : 70_000));
    }

    /** Whole-body mutations: cut short, a byte changed, invalid UTF-8, a BOM, gzip (and gzip garbage), oversize. */
    private byte[] mutate(byte[] body, List<String[]> headers) {
        int roll = random.nextInt(100);
        if (roll < 6 && body.length > 0) {
            return java.util.Arrays.copyOf(body, random.nextInt(body.length));
        }
        if (roll < 12 && body.length > 0) {
            byte[] changed = body.clone();
            changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
            return changed;
        }
        if (roll < 15) {
            return concat(body, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xc0, (byte) 0xaf});
        }
        if (roll < 17) {
            return concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, body);
        }
        if (roll < 21) {
            headers.add(new String[] {"Content-Encoding", pick(List.of(ENCODING))});
            return chance(50) ? gzip(body) : body;
        }
        if (roll < 22) {
            return concat(body, "\n".repeat(1024 * 1024).getBytes(UTF_8));
        }
        return body;
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static Endpoint e(String method, String template) {
        return new Endpoint(method, template, false, Body.NONE, false);
    }

    private static Endpoint m(String template, Body body) {
        return new Endpoint("POST", template, true, body, false);
    }

    private static Endpoint a(String method, String template, Body body) {
        return new Endpoint(method, template, method.equals("POST"), body, true);
    }
}
