package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import io.elasticcloud.cli.api.Sizes;
import io.elasticcloud.cli.args.Option;
import io.elasticcloud.cli.args.ParsedArgs;
import io.elasticcloud.cli.command.Command;
import io.elasticcloud.cli.command.Invocation;
import io.elasticcloud.cli.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code elastic drives upload FILE [DRIVE]}: see {@link #details()}. */
public final class UploadCommand implements Command {
    static final Option SIZE = Option.value("size", 's', "SIZE", "size of the new drive (default: the content's)");
    static final Option NAME = Option.value("name", 'n', "NAME", "name of the new drive (default: the file's name)");
    static final Option NO_VERIFY = Option.flag("no-verify", null, "do not read each chunk back to compare it");

    @Override
    public String group() {
        return "drives";
    }

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public String synopsis() {
        return "FILE|- [DRIVE]";
    }

    @Override
    public String summary() {
        return "upload a file (or .gz, or standard input) into a drive";
    }

    @Override
    public String details() {
        return """
                Without DRIVE a new drive is created, as large as the content (or --size); the new
                drive's UUID is printed on standard output. The content goes in 4 MiB chunks, each
                gzipped, several at once (--parallel); chunks of zeros are not sent to a new drive
                (it reads as zeros already). A chunk that fails on a lost connection or a platform
                error is tried again. A FILE named .gz is decompressed on the way; so is gzipped
                standard input. Each chunk is read back from the drive as soon as its write is
                acknowledged and compared with what was sent (zero chunks not sent must read back
                as zeros); --no-verify skips this. The SHA-256 of the whole content is printed.

                Interrupted (killed, connection gone)? The state is kept in FILE.elastic-upload
                (or --state); the same command with --resume goes on from the first chunk not
                known to be done, after checking that the file has not changed. Progress goes to
                standard error: a bar on a terminal, plain lines otherwise.""";
    }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(List.of(SIZE, NAME, NO_VERIFY));
        o.addAll(TransferOptions.SHARED);
        return o;
    }

    @Override
    public void run(Invocation inv) {
        ParsedArgs a = inv.args();
        List<String> pos = a.positional();
        if (pos.isEmpty() || pos.size() > 2) {
            throw CliException.commandLine("usage: elastic drives upload %s", synopsis());
        }
        String fileArg = pos.get(0);
        String driveArg = pos.size() > 1 ? pos.get(1) : null;
        Path statePath = a.value("state").map(Path::of)
                .orElse(fileArg.equals("-") ? null : Path.of(fileArg + ".elastic-upload"));
        boolean resume = a.flag("resume");
        if (resume && (statePath == null || !Files.isRegularFile(statePath))) {
            throw CliException.commandLine(statePath == null
                    ? "--resume from standard input needs --state FILE (the one the interrupted upload used)"
                    : "nothing to resume: " + statePath + " does not exist");
        }
        if (!resume && statePath != null && Files.exists(statePath)) {
            throw CliException.commandLine("%s holds an interrupted upload: add --resume to go on with it, "
                    + "or delete it to start over", statePath);
        }
        if (resume && a.value("size").isPresent()) {
            throw CliException.commandLine("--size is for a new drive; a resumed upload goes on with its drive");
        }
        Progress[] current = new Progress[1];
        try (Source source = Source.open(fileArg, inv.in())) {
            TransferState state;
            DriveInfo drive;
            Transfer transfer;
            if (resume) {
                state = TransferState.load(statePath);
                checkResumable(state, source, driveArg, statePath);
                transfer = TransferOptions.transfer(inv, state.drive(), current);
                drive = DriveInfo.of(transfer.api(), state.drive());
                if (!inv.quiet()) {
                    inv.err().println("elastic: resuming the upload into " + state.drive() + " after chunk "
                            + state.done() + " (" + Sizes.human(state.done() * state.chunkSize()) + " done)");
                }
            } else {
                long length = source.length();
                transfer = TransferOptions.transfer(inv, driveArg, current);
                if (driveArg == null) {
                    long size = a.value("size").map(v -> Sizes.parse(v, "--size")).orElseGet(() -> {
                        if (source.file() == null) {
                            throw CliException.commandLine("uploading standard input to a new drive needs --size");
                        }
                        return source.measure();
                    });
                    if (length > size) {
                        throw CliException.api(ExitCode.FULL, "%s holds %d bytes (%s), more than --size %s: "
                                + "nothing was created", source.name(), length, Sizes.human(length), Sizes.human(size));
                    }
                    if (size == 0) {
                        throw CliException.commandLine("%s is empty: give --size for an empty drive", source.name());
                    }
                    String name = a.value("name").orElse(source.file() == null ? "upload"
                            : source.file().getFileName().toString());
                    drive = DriveInfo.create(transfer.api(), name, size);
                    transfer = new Transfer(transfer.api(), drive.drive(), transfer.parallel(), transfer.retry(),
                            transfer.rateLimit());
                    if (!inv.quiet()) {
                        inv.err().println("elastic: created drive " + drive.drive() + " (" + Sizes.human(size) + ")");
                    }
                } else {
                    drive = DriveInfo.of(transfer.api(), driveArg);
                    if (length > drive.size()) {
                        throw CliException.api(ExitCode.FULL, "%s holds %d bytes (%s) but drive %s holds %d (%s): "
                                + "nothing was written", source.name(), length, Sizes.human(length), drive.drive(),
                                drive.size(), Sizes.human(drive.size()));
                    }
                    long atLeast = source.gzipLengthAtLeast();
                    if (atLeast > drive.size()) {
                        // otherwise (a .gz of 4 GiB or more, or standard input) the chunk that passes the
                        // drive's end is refused, and the message says how much was written
                        throw CliException.api(ExitCode.FULL, "%s decompresses to at least %d bytes (%s, its gzip "
                                + "trailer) but drive %s holds %d (%s): nothing was written", source.name(), atLeast,
                                Sizes.human(atLeast), drive.drive(), drive.size(), Sizes.human(drive.size()));
                    }
                }
                state = TransferState.upload(drive.drive(), driveArg == null, ChunkPlan.DEFAULT_CHUNK, length,
                        source.file() == null ? "-" : source.file().toAbsolutePath().toString(),
                        sourceSize(source), sourceModified(source));
                if (statePath != null) {
                    state.save(statePath);
                }
            }

            boolean verify = !a.flag("no-verify");
            Uploader.Result result;
            try (Progress p = TransferOptions.progress(inv, "upload", source.length())) {
                current[0] = p;
                result = new Uploader(transfer, drive.size(), state, statePath, p, verify).run(source);
                p.finish(true);
            }
            String sha = Transfer.hex(result.sha256());
            if (statePath != null) {
                deleteState(statePath);
            }
            if (!inv.quiet()) {
                inv.err().printf("elastic: %s: %s into %s (%d chunks sent, %d of zeros skipped%s); sha256 %s%s%n",
                        source.name(), Sizes.human(result.length()), drive.drive(), result.chunksSent(),
                        result.zeroChunksSkipped(),
                        result.chunksResumed() > 0 ? ", " + result.chunksResumed() + " done before" : "",
                        sha, verify ? " (verified)" : " (not verified)");
            }
            inv.out().println(drive.drive());
        }
    }

    private static void checkResumable(TransferState state, Source source, String driveArg, Path statePath) {
        if (!"upload".equals(state.kind())) {
            throw CliException.commandLine("%s is the state of a %s, not of an upload", statePath, state.kind());
        }
        if (driveArg != null && !driveArg.equalsIgnoreCase(state.drive())) {
            throw CliException.commandLine("%s is an upload into %s, not %s", statePath, state.drive(), driveArg);
        }
        if (source.file() != null && (state.sourceSize() != sourceSize(source)
                || state.sourceModified() != sourceModified(source))) {
            throw CliException.commandLine("%s changed since the interrupted upload (size or time); "
                    + "delete %s to start over", source.name(), statePath);
        }
    }

    private static long sourceSize(Source s) {
        try {
            return s.file() == null ? -1 : Files.size(s.file());
        } catch (IOException e) {
            return -1;
        }
    }

    private static long sourceModified(Source s) {
        try {
            return s.file() == null ? -1 : Files.getLastModifiedTime(s.file()).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    static void deleteState(Path statePath) {
        try {
            Files.deleteIfExists(statePath);
        } catch (IOException e) {
            throw CliException.local("done, but cannot delete %s: %s", statePath, e.getMessage());
        }
    }
}
