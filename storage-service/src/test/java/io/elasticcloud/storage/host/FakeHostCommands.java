package io.elasticcloud.storage.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A storage host in a test: commands answered from a script, every call recorded with its stdin.
 *
 * <pre>{@code
 * FakeHostCommands host = new FakeHostCommands();
 * host.when("lvm", "lvs").thenOutput(report);                      // exit 0, stdout
 * host.when("lvm", "lvcreate").thenSucceed();                      // exit 0, no output
 * host.when("cryptsetup", "open").thenExit(2, "No key available with this passphrase.");
 * host.when("lvm", "vgs").thenOutput(before).thenOutput(after);    // in turn; the last one stays
 * host.when("lvm", "lvremove").thenThrow(new IOException("box gone"));
 * ...
 * assertThat(host.commands()).containsExactly(List.of("lvm", "lvs", ...), ...);
 * assertThat(host.lastCall("cryptsetup").stdinText()).isEqualTo(key);
 * }</pre>
 *
 * The longest matching argv prefix answers (the latest of equals), so a test can script a
 * general answer and a particular one. A command nothing answers fails the test with an
 * {@link AssertionError} (an {@code Error}, which no backend catches by accident) naming it and
 * what was scripted. Thread-safe.
 */
public final class FakeHostCommands implements HostCommands {
    private final List<Script> scripts = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    /** One command as the fake received it; {@code stdin} was copied, so a caller wiping its key does not wipe it here. */
    public record Call(List<String> argv, byte[] stdin, Duration timeout) {
        public Call {
            argv = List.copyOf(argv);
            stdin = stdin.clone();
        }

        @Override
        public byte[] stdin() {
            return stdin.clone();
        }

        public String stdinText() {
            return new String(stdin, StandardCharsets.UTF_8);
        }

        /** Whether {@code argv} starts with {@code prefix}. */
        public boolean startsWith(List<String> prefix) {
            return argv.size() >= prefix.size() && argv.subList(0, prefix.size()).equals(prefix);
        }

        /** The argv joined by spaces, for messages (never the stdin, which may be a key). */
        @Override
        public String toString() {
            return String.join(" ", argv) + (stdin.length > 0 ? " <" + stdin.length + " bytes of stdin>" : "");
        }
    }

    /** Computes an answer from the call itself (an echo, a result depending on earlier calls). */
    @FunctionalInterface
    public interface Answer {
        Result answer(Call call) throws IOException;
    }

    /** The answers to commands starting with one prefix, given in turn; the last one repeats. */
    public final class Script {
        private final List<String> prefix;
        private final Deque<Answer> answers = new ArrayDeque<>();

        private Script(List<String> prefix) {
            this.prefix = prefix;
        }

        public Script thenAnswer(Answer answer) {
            synchronized (FakeHostCommands.this) {
                answers.addLast(answer);
            }
            return this;
        }

        public Script thenReturn(Result result) {
            return thenAnswer(call -> result);
        }

        /** Exit 0 with this text on stdout. */
        public Script thenOutput(String stdout) {
            return thenReturn(result(0, stdout, ""));
        }

        /** Exit 0, no output. */
        public Script thenSucceed() {
            return thenOutput("");
        }

        /** This exit status with this text on stderr. */
        public Script thenExit(int exit, String stderr) {
            return thenReturn(result(exit, "", stderr));
        }

        public Script thenThrow(IOException failure) {
            return thenAnswer(call -> {
                throw failure;
            });
        }

        /** Fails the way a real implementation does when the command outlives its timeout. */
        public Script thenTimeOut() {
            return thenAnswer(call -> {
                throw new IOException(call.argv().get(0) + " did not finish within " + call.timeout().toMillis()
                        + " ms and was killed");
            });
        }

        private Answer next() {
            return answers.size() > 1 ? answers.removeFirst() : answers.getFirst();
        }

        @Override
        public String toString() {
            return String.join(" ", prefix);
        }
    }

    /** Scripts the commands whose argv starts with {@code prefix}; chain the answers on what it returns. */
    public synchronized Script when(String... prefix) {
        Script script = new Script(List.of(prefix));
        scripts.add(script);
        return script;
    }

    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) throws IOException {
        Call call = new Call(argv, stdin, timeout);
        Answer answer;
        synchronized (this) {
            calls.add(call);
            Script best = null;
            for (Script script : scripts) {
                if (call.startsWith(script.prefix) && !script.answers.isEmpty()
                        && (best == null || script.prefix.size() >= best.prefix.size())) {
                    best = script;
                }
            }
            if (best == null) {
                throw new AssertionError("no answer scripted for `" + call + "`; scripted: "
                        + scripts.stream().map(Script::toString).collect(Collectors.joining("; ")));
            }
            answer = best.next();
        }
        return answer.answer(call);
    }

    /** Every call so far, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls whose argv starts with {@code prefix}, in order. */
    public synchronized List<Call> calls(String... prefix) {
        return calls.stream().filter(call -> call.startsWith(List.of(prefix))).toList();
    }

    /** The argv of every call so far, in order: the usual thing to assert on. */
    public synchronized List<List<String>> commands() {
        return calls.stream().map(Call::argv).toList();
    }

    /** The latest call whose argv starts with {@code prefix}. */
    public synchronized Call lastCall(String... prefix) {
        List<Call> matching = calls(prefix);
        if (matching.isEmpty()) {
            throw new AssertionError("no call of `" + String.join(" ", prefix) + "`; calls: " + calls);
        }
        return matching.get(matching.size() - 1);
    }

    /** Forgets the calls (not the scripts): for a test that asserts on a second phase alone. */
    public synchronized void clearCalls() {
        calls.clear();
    }

    /** A result with text output, for {@link Script#thenReturn} and {@link Answer}s. */
    public static Result result(int exit, String stdout, String stderr) {
        return new Result(exit, stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8));
    }
}
