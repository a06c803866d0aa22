package io.elasticcloud.cli.args;

/**
 * One option a command accepts: {@code --long}, optionally {@code -s}, a flag when
 * {@code valueName} is null, else it takes a value ({@code --long VALUE} or {@code --long=VALUE}).
 */
public record Option(String longName, Character shortName, String valueName, String help) {

    public static Option flag(String longName, Character shortName, String help) {
        return new Option(longName, shortName, null, help);
    }

    public static Option value(String longName, Character shortName, String valueName, String help) {
        return new Option(longName, shortName, valueName, help);
    }

    public boolean isFlag() {
        return valueName == null;
    }

    /** As shown in help: {@code -s, --long VALUE}. */
    public String label() {
        String s = (shortName == null ? "    " : "-" + shortName + ", ") + "--" + longName;
        return isFlag() ? s : s + " " + valueName;
    }
}
