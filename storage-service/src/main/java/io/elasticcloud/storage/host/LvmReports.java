package io.elasticcloud.storage.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * LVM's reports of logical volumes and volume groups: the argv that asks for them and the parser
 * of their JSON, side by side on one field list each, so the {@code -o} list and what the parser
 * reads cannot drift apart. Sizes are asked in bytes without a suffix ({@code --units b
 * --nosuffix}). With {@code --reportformat json} LVM writes every value as a string (an empty
 * one for an absent percentage) and tags comma-separated; the {@code json_std} form of newer LVM
 * (numbers as numbers, tags as an array) is read as well.
 */
public final class LvmReports {
    private static final String LV_NAME = "lv_name";
    private static final String LV_VG = "vg_name";
    private static final String LV_SIZE = "lv_size";
    private static final String LV_ATTR = "lv_attr";
    private static final String LV_POOL = "pool_lv";
    private static final String LV_DATA = "data_percent";
    private static final String LV_METADATA = "metadata_percent";
    private static final String LV_TAGS = "lv_tags";
    private static final String VG_NAME = "vg_name";
    private static final String VG_SIZE = "vg_size";
    private static final String VG_FREE = "vg_free";
    private static final String VG_EXTENT = "vg_extent_size";

    /** The fields {@link #lvs} asks for: exactly those {@link #parseLvs} reads (it fails on any other). */
    public static final List<String> LV_FIELDS = List.of(LV_NAME, LV_VG, LV_SIZE, LV_ATTR, LV_POOL, LV_DATA,
            LV_METADATA, LV_TAGS);
    /** The fields {@link #vgs} asks for: exactly those {@link #parseVgs} reads (it fails on any other). */
    public static final List<String> VG_FIELDS = List.of(VG_NAME, VG_SIZE, VG_FREE, VG_EXTENT);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LvmReports() {
    }

    /** {@code lvm lvs} of the given VGs or {@code VG/LV}s (all when none are given). */
    public static List<String> lvs(String... selection) {
        return report("lvs", LV_FIELDS, selection);
    }

    /** {@code lvm vgs} of the given VGs (all when none are given). */
    public static List<String> vgs(String... selection) {
        return report("vgs", VG_FIELDS, selection);
    }

    /** The logical volumes in the output of {@link #lvs}. */
    public static List<LogicalVolume> parseLvs(String json) throws IOException {
        return rows(json, "lv", LV_FIELDS, row -> new LogicalVolume(row.text(LV_NAME), row.text(LV_VG),
                row.bytes(LV_SIZE), row.text(LV_ATTR), Optional.of(row.text(LV_POOL)).filter(pool -> !pool.isEmpty()),
                row.percent(LV_DATA), row.percent(LV_METADATA), row.list(LV_TAGS)));
    }

    /** The volume groups in the output of {@link #vgs}. */
    public static List<VolumeGroup> parseVgs(String json) throws IOException {
        return rows(json, "vg", VG_FIELDS, row -> new VolumeGroup(row.text(VG_NAME), row.bytes(VG_SIZE),
                row.bytes(VG_FREE), row.bytes(VG_EXTENT)));
    }

    private static List<String> report(String command, List<String> fields, String... selection) {
        List<String> argv = new ArrayList<>(List.of("lvm", command, "--reportformat", "json", "--units", "b",
                "--nosuffix", "-o", String.join(",", fields)));
        argv.addAll(Arrays.asList(selection));
        return List.copyOf(argv);
    }

    /**
     * Every row under {@code "report": [{"<kind>": [...]}, ...]} (one report object per command
     * run; LVM may add a {@code "log"} beside it), each made into a record by {@code make}.
     */
    private static <T> List<T> rows(String json, String kind, List<String> fields, RowReader<T> make)
            throws IOException {
        JsonNode report;
        try {
            report = JSON.readTree(json).path("report");
        } catch (JacksonException e) {
            throw new IOException("lvm " + kind + "s wrote no JSON report: " + e.getOriginalMessage());
        }
        if (!report.isArray()) {
            throw new IOException("lvm " + kind + "s wrote JSON without a report");
        }
        List<T> rows = new ArrayList<>();
        for (JsonNode part : report.values()) {
            for (JsonNode node : part.path(kind).values()) {
                Row row = new Row(kind, rows.size() + 1, fields, node);
                try {
                    rows.add(make.apply(row));
                } catch (IllegalArgumentException e) {
                    throw new IOException("lvm " + kind + "s report, row " + row.number + ": " + e.getMessage());
                }
            }
        }
        return List.copyOf(rows);
    }

    private interface RowReader<T> {
        T apply(Row row) throws IOException;
    }

    /** One row of a report; a field is read only if the report's field list asked for it. */
    private record Row(String kind, int number, List<String> fields, JsonNode node) {

        String text(String field) throws IOException {
            JsonNode value = value(field);
            if (value.isMissingNode() || value.isNull() || value.isContainer()) {
                throw new IOException("lvm " + kind + "s report, row " + number + ": no " + field);
            }
            return value.asString();
        }

        long bytes(String field) throws IOException {
            return parse(field, Long::parseLong);
        }

        /** A percentage, absent where LVM has none: an empty string ({@code json}) or null ({@code json_std}). */
        OptionalDouble percent(String field) throws IOException {
            if (value(field).isNull() || text(field).isEmpty()) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(parse(field, Double::parseDouble));
        }

        List<String> list(String field) throws IOException {
            JsonNode value = value(field);
            if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.values().forEach(item -> items.add(item.asString()));
                return items;
            }
            String text = text(field);
            return text.isEmpty() ? List.of() : List.of(text.split(","));
        }

        private JsonNode value(String field) {
            if (!fields.contains(field)) {
                throw new IllegalStateException("the " + kind + "s parser reads " + field + ", which its -o list "
                        + fields + " does not ask for");
            }
            return node.path(field);
        }

        private <N> N parse(String field, Function<String, N> parser) throws IOException {
            String text = text(field);
            try {
                return parser.apply(text);
            } catch (NumberFormatException e) {
                throw new IOException("lvm " + kind + "s report, row " + number + ": " + field
                        + " is not a number: \"" + text + "\"");
            }
        }
    }
}
