package io.elasticcloud.cli.command;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.api.Endpoint;
import io.elasticcloud.cli.args.Option;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code elastic configure}: writes the config file ({@link Endpoint#configFile}) with the
 * endpoint and the credentials, from {@code --uri}/{@code EHURI} and {@code EHAUTH}, or asked for
 * on the terminal (the key read without echo) or read as lines from standard input. The file is
 * created with mode 0600 (in a directory of mode 0700 when it makes one) and replaces the old one
 * atomically; the key is never printed.
 */
public final class ConfigureCommand implements Command {
    public static final String NAME = "configure";

    @Override
    public String group() {
        return NAME;
    }

    @Override
    public String name() {
        return "";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String summary() {
        return "write the endpoint and credentials into the config file (mode 0600)";
    }

    @Override
    public String details() {
        return """
                The endpoint comes from --uri or EHURI, the credentials from EHAUTH=UUID:KEY; what is
                not set is asked for: on a terminal the key is read without echo, otherwise the
                answers are read as lines from standard input (endpoint, then account UUID, then
                key). Writes ~/.config/elastic/config (or $XDG_CONFIG_HOME/elastic/config, or
                $ELASTIC_CONFIG) with mode 0600, replacing it; later commands use it when EHURI and
                EHAUTH are not set. Prints where it wrote, never the key.""";
    }

    @Override
    public List<Option> options() {
        return List.of();
    }

    @Override
    public void run(Invocation inv) {
        if (!inv.args().positional().isEmpty()) {
            throw CliException.commandLine("usage: elastic configure [--uri URL] (takes no arguments)");
        }
        Path file = Endpoint.configFile(inv.env());
        Prompt prompt = new Prompt(inv);
        String uri = inv.args().value("uri").or(() -> nonBlank(inv.env().get("EHURI")))
                .orElseGet(() -> prompt.line("API endpoint (EHURI, e.g. https://HOST/ or http://127.0.0.1:8080/): "));
        Endpoint.checkUri(uri);
        String auth = nonBlank(inv.env().get("EHAUTH")).orElseGet(() -> {
            String user = prompt.line("Account UUID: ");
            String key = prompt.secret("Secret API key (not shown): ");
            return user + ":" + key;
        });
        int colon = auth.indexOf(':');
        String user = colon < 0 ? auth : auth.substring(0, colon).strip();
        String key = colon < 0 ? "" : auth.substring(colon + 1).strip();
        try {
            UUID.fromString(user);
        } catch (IllegalArgumentException e) {
            throw CliException.commandLine("the account must be a UUID (EHAUTH=UUID:KEY)");
        }
        if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
            // never echo what was given
            throw CliException.commandLine("the key must be one word without spaces (EHAUTH=UUID:KEY)");
        }
        write(file, "# elastic: endpoint and credentials (written by elastic configure); keep it mode 0600\n"
                + "uri " + uri.strip() + "\nauth " + user + ":" + key + "\n");
        if (!inv.quiet()) {
            inv.err().println("elastic: wrote " + file + " (uri " + uri.strip() + ", account " + user
                    + ", mode 0600)");
        }
    }

    /** Writes {@code text} as {@code file}: a new file of mode 0600, synced, renamed over the old one. */
    static void write(Path file, String text) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            FileAttribute<?>[] mode = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", mode);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                     OutputStream out = Channels.newOutputStream(ch)) {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw CliException.local("cannot write %s: %s", file, e.getMessage());
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    /** Questions on standard error; answers from the console (the key without echo) or standard input. */
    private static final class Prompt {
        private final Invocation inv;
        private final Console console;
        private BufferedReader lines;

        Prompt(Invocation inv) {
            this.inv = inv;
            this.console = inv.terminal().stdinIsTerminal() ? System.console() : null;
        }

        String line(String question) {
            if (console != null) {
                return answer(console.readLine("%s", question));
            }
            if (inv.terminal().stdinIsTerminal()) {
                inv.err().print(question);
                inv.err().flush();
            }
            return answer(readLine());
        }

        String secret(String question) {
            if (console != null) {
                char[] key = console.readPassword("%s", question);
                return answer(key == null ? null : new String(key));
            }
            if (inv.terminal().stdinIsTerminal()) {
                // a terminal without a console to switch the echo off: do not let the key show
                throw CliException.commandLine("cannot read the key without echo here: set EHAUTH=UUID:KEY instead");
            }
            return answer(readLine());
        }

        private String readLine() {
            try {
                if (lines == null) {
                    lines = new BufferedReader(new InputStreamReader(inv.in(), StandardCharsets.UTF_8));
                }
                return lines.readLine();
            } catch (IOException e) {
                throw CliException.local("cannot read standard input: %s", e.getMessage());
            }
        }

        private static String answer(String s) {
            if (s == null || s.isBlank()) {
                throw CliException.commandLine("no answer: nothing was written (set EHURI and EHAUTH, or answer "
                        + "the questions)");
            }
            return s.strip();
        }
    }
}
