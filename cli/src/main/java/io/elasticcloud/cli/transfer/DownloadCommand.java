package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.api.Sizes;
import io.elasticcloud.cli.args.Option;
import io.elasticcloud.cli.args.ParsedArgs;
import io.elasticcloud.cli.command.Command;
import io.elasticcloud.cli.command.Invocation;
import io.elasticcloud.cli.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/** {@code elastic drives download DRIVE FILE}: see {@link #details()}. */
public final class DownloadCommand implements Command {

    @Override
    public String group() {
        return "drives";
    }

    @Override
    public String name() {
        return "download";
    }

    @Override
    public String synopsis() {
        return "DRIVE FILE|-";
    }

    @Override
    public String summary() {
        return "download a whole drive into a file (or standard output)";
    }

    @Override
    public String details() {
        return """
                Reads the drive in 4 MiB chunks, several at once (--parallel), and writes them in
                place; chunks of zeros are not written, so the file is sparse where the drive is
                empty. The SHA-256 of the drive's bytes is computed as they are written and printed
                at the end. Interrupted? The state is kept in FILE.elastic-download (or --state);
                the same command with --resume goes on after the chunks already in FILE (after
                checking them). With - the bytes go to standard output, in order, without resume.""";
    }

    @Override
    public List<Option> options() {
        return TransferOptions.SHARED;
    }

    @Override
    public void run(Invocation inv) {
        ParsedArgs a = inv.args();
        List<String> pos = a.positional();
        if (pos.size() != 2) {
            throw CliException.commandLine("usage: elastic drives download %s", synopsis());
        }
        String driveArg = pos.get(0);
        String fileArg = pos.get(1);
        boolean toStdout = fileArg.equals("-");
        Path file = toStdout ? null : Path.of(fileArg);
        Path statePath = a.value("state").map(Path::of)
                .orElse(toStdout ? null : Path.of(fileArg + ".elastic-download"));
        boolean resume = a.flag("resume");
        if (resume && toStdout) {
            throw CliException.commandLine("a download to standard output cannot be resumed");
        }
        if (resume && (statePath == null || !Files.isRegularFile(statePath))) {
            throw CliException.commandLine("nothing to resume: %s does not exist", statePath);
        }
        if (!resume && statePath != null && Files.exists(statePath)) {
            throw CliException.commandLine("%s holds an interrupted download: add --resume to go on with it, "
                    + "or delete it to start over", statePath);
        }
        Progress[] current = new Progress[1];
        Transfer transfer = TransferOptions.transfer(inv, driveArg, current);
        DriveInfo drive = DriveInfo.of(transfer.api(), driveArg);
        TransferState state;
        if (resume) {
            state = TransferState.load(statePath);
            if (!"download".equals(state.kind()) || !state.drive().equalsIgnoreCase(drive.drive())
                    || state.length() != drive.size()) {
                throw CliException.commandLine("%s is not an interrupted download of drive %s as it is now "
                        + "(%s bytes); delete it to start over", statePath, drive.drive(), drive.size());
            }
        } else {
            state = TransferState.download(drive.drive(), ChunkPlan.DEFAULT_CHUNK, drive.size());
        }
        ChunkPlan plan = new ChunkPlan(drive.size(), state.chunkSize());
        MessageDigest sha = Uploader.sha256();
        try (DownloadSink sink = toStdout ? new StdoutSink(inv.out()) : new FileSink(file, resume)) {
            long first = 0;
            if (resume) {
                first = sink.rehash(plan, state, sha);
                if (!inv.quiet()) {
                    inv.err().println("elastic: resuming the download of " + drive.drive() + " after chunk " + first
                            + " (" + Sizes.human(Math.min(drive.size(), first * plan.chunkSize())) + " done)");
                }
            }
            if (statePath != null) {
                state.save(statePath);
            }
            long[] lastSave = {System.nanoTime()};
            try (Progress p = TransferOptions.progress(inv, "download", drive.size())) {
                current[0] = p;
                p.addSkipped(Math.min(drive.size(), first * plan.chunkSize()));
                try {
                    transfer.readChunks(plan, first, p, sink::writeAnyOrder, c -> {
                        sha.update(c.data(), 0, c.length());
                        sink.writeInOrder(c);
                        state.markDone(c.index(), c.crc32());
                        if (statePath != null && System.nanoTime() - lastSave[0] > Uploader.SAVE_EVERY_NANOS) {
                            state.save(statePath);
                            lastSave[0] = System.nanoTime();
                        }
                    });
                } catch (RuntimeException e) {
                    if (statePath != null) {
                        state.save(statePath);
                    }
                    throw e;
                }
                sink.finish(drive.size());
                p.finish(true);
            }
        }
        if (statePath != null) {
            UploadCommand.deleteState(statePath);
        }
        if (!inv.quiet()) {
            inv.err().printf("elastic: drive %s: %s into %s; sha256 %s%n", drive.drive(), Sizes.human(drive.size()),
                    toStdout ? "standard output" : fileArg, Transfer.hex(sha.digest()));
        }
    }
}
