package io.elasticcloud.cli.command;

import io.elasticcloud.cli.args.Option;
import java.util.List;

/** One subcommand, {@code elastic GROUP NAME ...}: what it is called, its help, and running it. */
public interface Command {
    String group();

    String name();

    /** The arguments after {@code elastic GROUP NAME}, e.g. {@code DRIVE [KEY VALUE]...}. */
    String synopsis();

    /** One line for the group's list. */
    String summary();

    /** More lines for {@code --help}: what is sent, what is printed. */
    String details();

    /** The options of this command (the global ones are added by the caller). */
    List<Option> options();

    void run(Invocation invocation);
}
