package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.api.Sizes;
import io.elasticcloud.cli.args.Option;
import io.elasticcloud.cli.args.ParsedArgs;
import io.elasticcloud.cli.command.Invocation;
import io.elasticcloud.cli.progress.Progress;
import java.util.List;

/** The options upload and download share, and what they make. */
final class TransferOptions {
    static final Option RESUME = Option.flag("resume", 'r', "go on with an interrupted transfer (see --state)");
    static final Option PARALLEL = Option.value("parallel", 'p', "N", "requests in flight at once (default 4)");
    static final Option RETRIES = Option.value("retries", null, "N",
            "tries per chunk on a lost connection or a platform error (default 5)");
    static final Option LIMIT_RATE = Option.value("limit-rate", null, "RATE",
            "at most RATE bytes per second on the wire, e.g. 10M (default: no limit)");
    static final Option STATE = Option.value("state", null, "FILE", "the resume state file");
    static final List<Option> SHARED = List.of(RESUME, PARALLEL, RETRIES, LIMIT_RATE, STATE);

    private TransferOptions() {
    }

    static Transfer transfer(Invocation inv, String drive, Progress[] current) {
        ParsedArgs a = inv.args();
        int parallel = a.intValue("parallel", 4, 1, 64);
        int retries = a.intValue("retries", 5, 1, 100);
        long rate = a.value("limit-rate").map(v -> Sizes.parse(v, "--limit-rate")).orElse(0L);
        return new Transfer(inv.api(), drive, parallel, new Retry(retries, 500, message -> {
            Progress p = current[0];
            if (p != null) {
                p.note(message);
            } else if (!inv.quiet()) {
                inv.err().println("elastic: " + message);
            }
        }), new RateLimit(rate));
    }

    static Progress progress(Invocation inv, String label, long total) {
        return new Progress(label, total, inv.err(), inv.terminal().stderrIsTerminal(), inv.quiet(),
                inv.terminal().columns());
    }
}
