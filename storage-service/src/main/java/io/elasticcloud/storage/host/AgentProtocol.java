package io.elasticcloud.storage.host;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The qemu-guest-agent messages this project sends and the replies it reads, as pure functions:
 * one JSON object per line each way. Requests come out as bytes so that the one carrying stdin
 * (a LUKS key, base64-encoded in {@code input-data}) can be wiped once sent.
 */
final class AgentProtocol {
    /** Precedes the agent's answer to {@code guest-sync-delimited}; sent first, it resets the agent's parser. */
    static final byte SENTINEL = (byte) 0xFF;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AgentProtocol() {
    }

    /** {@code 0xFF} then {@code guest-sync-delimited} with {@code id}, which the answer echoes. */
    static byte[] sync(long id) {
        byte[] request = line("guest-sync-delimited", Map.of("id", id));
        byte[] withSentinel = new byte[request.length + 1];
        withSentinel[0] = SENTINEL;
        System.arraycopy(request, 0, withSentinel, 1, request.length);
        return withSentinel;
    }

    /**
     * {@code guest-exec} of {@code argv} (the agent searches {@code PATH} for {@code argv[0]}),
     * capturing stdout and stderr. {@code input-data} is always sent, even empty: without it the
     * child would inherit the agent's own stdin instead of reading end-of-file.
     */
    static byte[] exec(List<String> argv, byte[] stdin) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("path", argv.get(0));
        arguments.put("arg", argv.subList(1, argv.size()));
        arguments.put("capture-output", true);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("execute", "guest-exec");
        request.put("arguments", arguments);
        byte[] head = JSON.writeValueAsBytes(request);
        // head ends with the two closing braces: splice the input in before them, by hand, into
        // one exactly sized array, so that no String or stray buffer keeps the key
        byte[] open = ",\"input-data\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] close = "\"}}\n".getBytes(StandardCharsets.US_ASCII);
        byte[] input = Base64.getEncoder().encode(stdin);
        byte[] line = new byte[head.length - 2 + open.length + input.length + close.length];
        int at = 0;
        for (byte[] part : List.of(Arrays.copyOf(head, head.length - 2), open, input, close)) {
            System.arraycopy(part, 0, line, at, part.length);
            at += part.length;
        }
        Arrays.fill(input, (byte) 0);
        return line;
    }

    /** {@code guest-exec-status} of a process started by {@code guest-exec}. */
    static byte[] execStatus(long pid) {
        return line("guest-exec-status", Map.of("pid", pid));
    }

    /** Parses one reply line; bytes that are not a JSON object mean the stream is out of step. */
    static JsonNode parse(byte[] line) throws IOException {
        try {
            JsonNode reply = JSON.readTree(line);
            if (reply == null || !reply.isObject()) {
                throw new IOException("the guest agent sent a reply that is not a JSON object");
            }
            return reply;
        } catch (JacksonException e) {
            throw new IOException("the guest agent sent a reply that is not JSON (" + line.length + " bytes)");
        }
    }

    /**
     * The reply's {@code return} value; an {@code error} reply (the agent refused: no such program,
     * no such pid) becomes an exception naming {@code what} was asked.
     */
    static JsonNode returned(JsonNode reply, String what) throws IOException {
        JsonNode error = reply.path("error");
        if (!error.isMissingNode()) {
            throw new IOException("the guest agent refused " + what + ": " + error.path("desc").asString(error.toString()));
        }
        JsonNode value = reply.path("return");
        if (value.isMissingNode()) {
            throw new IOException("the guest agent answered " + what + " with neither return nor error");
        }
        return value;
    }

    /**
     * The result in a {@code guest-exec-status} that says {@code "exited": true}. A process killed
     * by a signal has no {@code exitcode} but a {@code signal}, reported as {@code 128 + signal}
     * like a shell does. The agent keeps at most 16 MiB of each stream and says when it cut one:
     * that output would mislead a parser, so it is an error.
     */
    static Result result(JsonNode status, String program) throws IOException {
        if (status.path("out-truncated").asBoolean(false) || status.path("err-truncated").asBoolean(false)) {
            throw new IOException(program + " wrote more output than the guest agent keeps; it was cut");
        }
        int exit;
        if (status.hasNonNull("exitcode")) {
            exit = status.path("exitcode").asInt();
        } else if (status.hasNonNull("signal")) {
            exit = 128 + status.path("signal").asInt();
        } else {
            throw new IOException("the guest agent reported " + program + " exited with neither exit code nor signal");
        }
        return new Result(exit, decode(status, "out-data", program), decode(status, "err-data", program));
    }

    private static byte[] decode(JsonNode status, String field, String program) throws IOException {
        JsonNode data = status.path(field);
        if (data.isMissingNode() || data.isNull()) {
            return new byte[0]; // the agent leaves out an empty stream
        }
        try {
            return Base64.getDecoder().decode(data.asString());
        } catch (IllegalArgumentException e) {
            throw new IOException("the guest agent sent " + program + "'s " + field + " in bad base64");
        }
    }

    private static byte[] line(String command, Map<String, Object> arguments) {
        byte[] json = JSON.writeValueAsBytes(Map.of("execute", command, "arguments", arguments));
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }
}
