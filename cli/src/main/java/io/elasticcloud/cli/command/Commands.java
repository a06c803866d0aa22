package io.elasticcloud.cli.command;

import static io.elasticcloud.cli.api.ApiPaths.segment;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.args.Option;
import io.elasticcloud.cli.command.ApiCall.In;
import io.elasticcloud.cli.command.ApiCall.Out;
import io.elasticcloud.cli.transfer.DownloadCommand;
import io.elasticcloud.cli.transfer.UploadCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every command the tool has, in one list: each call of the API (sections 2–4 of the API
 * reference), plus {@code drives upload} and {@code drives download}. Reads are GET and changes
 * POST, as the reference lists them.
 */
public final class Commands {
    public static final List<String> GROUPS = List.of("drives", "servers", "resources");

    private static final List<Command> ALL = build();

    private Commands() {
    }

    public static List<Command> all() {
        return ALL;
    }

    public static List<Command> group(String group) {
        return ALL.stream().filter(c -> c.group().equals(group)).toList();
    }

    public static Optional<Command> find(String group, String name) {
        return ALL.stream().filter(c -> c.group().equals(group) && c.name().equals(name)).findFirst();
    }

    private static List<Command> build() {
        List<Command> c = new ArrayList<>();
        Option file = Option.value("file", 'f', "FILE", "read the data from FILE instead of standard input");
        Option gzip = Option.flag("gzip", null, "the data is gzipped already: sent with Content-Encoding: gzip");
        Option output = Option.value("output", 'o', "FILE", "write the data to FILE instead of standard output");
        Option stopped = Option.flag("stopped", null, "create the server stopped (/servers/create/stopped)");

        // drives
        c.add(call("drives", "list", "[standard]", "list your drives (or the standard drives)",
                "Prints one drive UUID per line.", "GET", 0, 1, In.NONE, Out.TEXT, List.of(),
                (a, o) -> "/drives/list" + standard(a)));
        c.add(call("drives", "info", "[DRIVE|standard]", "one drive's info, or all of them",
                "Prints key value lines; for all drives, one block per drive.", "GET", 0, 1, In.NONE,
                Out.TEXT, List.of(), (a, o) -> a.isEmpty() ? "/drives/info"
                        : a.get(0).equals("standard") ? "/drives/info/standard"
                        : "/drives/" + segment(a.get(0)) + "/info"));
        c.add(call("drives", "create", "[KEY VALUE]...", "create a drive (name and size required)",
                "Keys: name, size, claim:type, readers, tags, user:*, avoid, encryption:cipher.\n"
                        + "Without KEY VALUE arguments, key value lines (or a JSON object) are read from\n"
                        + "standard input. Prints the new drive's info.", "POST", 0, 0, In.OBJECT, Out.TEXT,
                List.of(), (a, o) -> "/drives/create"));
        c.add(call("drives", "set", "DRIVE [KEY VALUE]...", "change a drive's name, size, tags, ...",
                "Keys: name, size (grow only), claim:type, readers, tags, user:*.\n"
                        + "Without KEY VALUE arguments, reads them from standard input.", "POST", 1, 0,
                In.OBJECT, Out.TEXT, List.of(), (a, o) -> "/drives/" + segment(a.get(0)) + "/set"));
        c.add(call("drives", "destroy", "DRIVE", "destroy a drive and its data", "", "POST", 1, 0, In.NONE,
                Out.TEXT, List.of(), (a, o) -> "/drives/" + segment(a.get(0)) + "/destroy"));
        c.add(call("drives", "image", "DRIVE SOURCE [gzip|gunzip]", "copy SOURCE's bytes into DRIVE",
                "Asynchronous: progress shows in DRIVE's imaging key (elastic drives info DRIVE).", "POST", 2, 1,
                In.NONE, Out.TEXT, List.of(), (a, o) -> "/drives/" + segment(a.get(0)) + "/image/"
                        + segment(a.get(1)) + (a.size() > 2 ? "/" + segment(a.get(2)) : "")));
        c.add(call("drives", "read", "DRIVE OFFSET SIZE", "read up to 4M bytes of a drive",
                "OFFSET and SIZE in bytes, or with k, M, G, T. The bytes go to standard output.", "GET", 3, 0,
                In.NONE, Out.DATA, List.of(output), (a, o) -> "/drives/" + segment(a.get(0)) + "/read/"
                        + segment(a.get(1)) + "/" + segment(a.get(2))));
        c.add(call("drives", "write", "DRIVE [OFFSET]", "write bytes into a drive at OFFSET (default 0)",
                "The bytes come from standard input (or --file), sent as they are; for large data use\n"
                        + "elastic drives upload.", "POST", 1, 1, In.DATA, Out.TEXT, List.of(file, gzip),
                (a, o) -> "/drives/" + segment(a.get(0)) + "/write" + (a.size() > 1 ? "/" + segment(a.get(1)) : "")));
        c.add(new UploadCommand());
        c.add(new DownloadCommand());

        // servers
        c.add(call("servers", "list", "", "list your servers", "Prints SERVER CPU MEM per line.", "GET", 0, 0,
                In.NONE, Out.TEXT, List.of(), (a, o) -> "/servers/list"));
        c.add(call("servers", "info", "[SERVER]", "one server's info, or all of them", "", "GET", 0, 1, In.NONE,
                Out.TEXT, List.of(), (a, o) -> a.isEmpty() ? "/servers/info" : "/servers/" + segment(a.get(0)) + "/info"));
        c.add(call("servers", "create", "[KEY VALUE]...", "create a server and start it (or --stopped)",
                "Keys: name, cpu, mem (required), smp, persistent, ide:B:U, scsi:0:U, block:N, ...:media,\n"
                        + "boot, nic:0:model, nic:0:dhcp, nic:1:vlan, vnc, vnc:password, tags, user:*, avoid:*.\n"
                        + "Without KEY VALUE arguments, reads them from standard input.", "POST", 0, 0,
                In.OBJECT, Out.TEXT, List.of(stopped),
                (a, o) -> "/servers/create" + (o.flag("stopped") ? "/stopped" : "")));
        for (String[] action : new String[][] {
                {"start", "start a stopped server"},
                {"stop", "stop a server at once (a power cut)"},
                {"shutdown", "ask the guest to power down (ACPI)"},
                {"reset", "hard-reset a running server"},
                {"destroy", "destroy a server (stopping it first); its drives stay"}}) {
            c.add(call("servers", action[0], "SERVER", action[1], "", "POST", 1, 0, In.NONE, Out.TEXT, List.of(),
                    (a, o) -> "/servers/" + segment(a.get(0)) + "/" + action[0]));
        }
        c.add(call("servers", "set", "SERVER [KEY VALUE]...", "change a server's configuration",
                "On a running server only name, cpu, persistent, tags, user:*, vnc:password change live.\n"
                        + "Without KEY VALUE arguments, reads them from standard input.", "POST", 1, 0,
                In.OBJECT, Out.TEXT, List.of(), (a, o) -> "/servers/" + segment(a.get(0)) + "/set"));

        // resources
        c.add(call("resources", "list", "[ip|vlan]", "list your static IPs and VLANs",
                "Prints TYPE RESOURCE per line.", "GET", 0, 1, In.NONE, Out.TEXT, List.of(),
                (a, o) -> a.isEmpty() ? "/resources/list" : "/resources/" + segment(a.get(0)) + "/list"));
        c.add(call("resources", "info", "[TYPE [RESOURCE]]", "a resource's info, or all of them", "", "GET", 0, 2,
                In.NONE, Out.TEXT, List.of(), (a, o) -> switch (a.size()) {
                    case 0 -> "/resources/info";
                    case 1 -> "/resources/" + segment(a.get(0)) + "/info";
                    default -> "/resources/" + segment(a.get(0)) + "/" + segment(a.get(1)) + "/info";
                }));
        c.add(call("resources", "create", "TYPE [KEY VALUE]...", "take a static IP (ip) or create a VLAN (vlan)",
                "Keys: name, tags, user:*. Without KEY VALUE arguments, reads them from standard input.",
                "POST", 1, 0, In.OBJECT, Out.TEXT, List.of(), (a, o) -> "/resources/" + segment(a.get(0)) + "/create"));
        c.add(call("resources", "set", "TYPE RESOURCE [KEY VALUE]...", "change a resource's name, tags, user:*",
                "Without KEY VALUE arguments, reads them from standard input.", "POST", 2, 0, In.OBJECT, Out.TEXT,
                List.of(), (a, o) -> "/resources/" + segment(a.get(0)) + "/" + segment(a.get(1)) + "/set"));
        c.add(call("resources", "destroy", "TYPE RESOURCE", "give back a static IP or destroy a VLAN", "", "POST",
                2, 0, In.NONE, Out.TEXT, List.of(),
                (a, o) -> "/resources/" + segment(a.get(0)) + "/" + segment(a.get(1)) + "/destroy"));
        return List.copyOf(c);
    }

    private static String standard(List<String> a) {
        if (a.isEmpty()) {
            return "";
        }
        if (!a.get(0).equals("standard")) {
            throw CliException.commandLine("elastic drives list takes no argument but standard, not %s", a.get(0));
        }
        return "/standard";
    }

    private static ApiCall call(String group, String name, String synopsis, String summary, String details,
                                String method, int required, int optional, In in, Out out, List<Option> options,
                                java.util.function.BiFunction<List<String>, io.elasticcloud.cli.args.ParsedArgs, String> path) {
        return new ApiCall(group, name, synopsis, summary, details, method, required, optional, in, out, options, path);
    }
}
