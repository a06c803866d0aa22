package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LVM's JSON reports as a storage box's LVM 2.03 writes them ({@code --reportformat json --units b
 * --nosuffix}: every value a string, two-space indents, {@code ", "} between fields) and the argv
 * that asks for them.
 */
class LvmReportsTest {
    /** A VG of two 1 GiB PVs: a linear LV, a thin pool, a thin volume in use and its inactive thin snapshot. */
    static final String LVS = """
              {
                  "report": [
                      {
                          "lv": [
                              {"lv_name":"plain", "vg_name":"box", "lv_size":"67108864", "lv_attr":"-wi-ao----", \
            "pool_lv":"", "data_percent":"", "metadata_percent":"", "lv_tags":"elastic,drive_0c5f8c3e"},
                              {"lv_name":"pool", "vg_name":"box", "lv_size":"1073741824", "lv_attr":"twi-aotz--", \
            "pool_lv":"", "data_percent":"12.34", "metadata_percent":"10.94", "lv_tags":""},
                              {"lv_name":"thin1", "vg_name":"box", "lv_size":"4294967296", "lv_attr":"Vwi-aotz--", \
            "pool_lv":"pool", "data_percent":"3.05", "metadata_percent":"", "lv_tags":"elastic"},
                              {"lv_name":"snap1", "vg_name":"box", "lv_size":"4294967296", "lv_attr":"Vwi---tz-k", \
            "pool_lv":"pool", "data_percent":"", "metadata_percent":"", "lv_tags":""}
                          ]
                      }
                  ]
              }
            """;

    static final String VGS = """
              {
                  "report": [
                      {
                          "vg": [
                              {"vg_name":"box", "vg_size":"2139095040", "vg_free":"1065353216", "vg_extent_size":"4194304"}
                          ]
                      }
                  ]
              }
            """;

    static final String JSON_STD = """
            {"report":[{"lv":[{"lv_name":"pool", "vg_name":"box", "lv_size":1073741824, "lv_attr":"twi-aotz--", \
            "pool_lv":"", "data_percent":12.34, "metadata_percent":null, "lv_tags":["elastic","x"]}]}]}
            """;

    @Test
    void theArgvAsksForExactlyTheFieldsTheParserReads() {
        assertThat(LvmReports.lvs("box")).containsExactly("lvm", "lvs", "--reportformat", "json", "--units", "b",
                "--nosuffix", "-o", "lv_name,vg_name,lv_size,lv_attr,pool_lv,data_percent,metadata_percent,lv_tags",
                "box");
        assertThat(LvmReports.vgs()).containsExactly("lvm", "vgs", "--reportformat", "json", "--units", "b",
                "--nosuffix", "-o", "vg_name,vg_size,vg_free,vg_extent_size");
        assertThat(LvmReports.lvs("box/thin1", "other")).endsWith("box/thin1", "other");
    }

    @Test
    void everyKindOfVolumeInABoxIsRead() throws IOException {
        assertThat(LvmReports.parseLvs(LVS)).containsExactly(
                new LogicalVolume("plain", "box", 67108864, "-wi-ao----", Optional.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), List.of("elastic", "drive_0c5f8c3e")),
                new LogicalVolume("pool", "box", 1073741824, "twi-aotz--", Optional.empty(), OptionalDouble.of(12.34),
                        OptionalDouble.of(10.94), List.of()),
                new LogicalVolume("thin1", "box", 4294967296L, "Vwi-aotz--", Optional.of("pool"), OptionalDouble.of(3.05),
                        OptionalDouble.empty(), List.of("elastic")),
                new LogicalVolume("snap1", "box", 4294967296L, "Vwi---tz-k", Optional.of("pool"), OptionalDouble.empty(),
                        OptionalDouble.empty(), List.of()));
    }

    static Stream<Arguments> attributes() {
        // name, lv_attr, thin pool, thin volume, active, open, skips activation
        return Stream.of(
                Arguments.of("linear, in use", "-wi-ao----", false, false, true, true, false),
                Arguments.of("linear, inactive", "-wi-------", false, false, false, false, false),
                Arguments.of("thin pool", "twi-aotz--", true, false, true, true, false),
                Arguments.of("thin volume, active", "Vwi-a-tz--", false, true, true, false, false),
                Arguments.of("thin snapshot, as created", "Vwi---tz-k", false, true, false, false, true),
                Arguments.of("thin snapshot, activated with -K", "Vwi-a-tz-k", false, true, true, false, true));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attributes")
    void theAttributeLettersAreNamed(String name, String attr, boolean thinPool, boolean thinVolume, boolean active,
            boolean open, boolean skipsActivation) {
        LogicalVolume lv = new LogicalVolume("v", "box", 1, attr, Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), List.of());
        assertThat(List.of(lv.isThinPool(), lv.isThinVolume(), lv.isActive(), lv.isOpen(), lv.skipsActivation()))
                .containsExactly(thinPool, thinVolume, active, open, skipsActivation);
        assertThat(lv.fullName()).isEqualTo("box/v");
    }

    static Stream<Arguments> lvReports() {
        return Stream.of(
                Arguments.of("no LVs at all", """
                          {
                              "report": [
                                  {
                                      "lv": [
                                      ]
                                  }
                              ]
                          }
                        """, List.of()),
                Arguments.of("with the command log LVM adds when report_command_log is set", """
                          {
                              "report": [
                                  {
                                      "lv": [
                                          {"lv_name":"v1", "vg_name":"box", "lv_size":"4194304", "lv_attr":"-wi-a-----", \
                        "pool_lv":"", "data_percent":"", "metadata_percent":"", "lv_tags":""}
                                      ]
                                  }
                              ]
                              ,
                              "log": [
                                  {"log_seq_num":"1", "log_type":"status", "log_context":"shell", "log_object_type":"cmd", \
                        "log_object_name":"", "log_object_id":"", "log_object_group":"", "log_object_group_id":"", \
                        "log_message":"success", "log_errno":"0", "log_ret_code":"1"}
                              ]
                          }
                        """, List.of("box/v1")),
                Arguments.of("two report objects (two VGs asked for one by one)", """
                        {"report":[{"lv":[{"lv_name":"a", "vg_name":"box", "lv_size":"4194304", "lv_attr":"-wi-a-----", \
                        "pool_lv":"", "data_percent":"", "metadata_percent":"", "lv_tags":""}]},{"lv":[{"lv_name":"b", \
                        "vg_name":"box2", "lv_size":"4194304", "lv_attr":"-wi-a-----", "pool_lv":"", "data_percent":"", \
                        "metadata_percent":"", "lv_tags":""}]}]}
                        """, List.of("box/a", "box2/b")),
                Arguments.of("json_std of newer LVM: numbers, null, tags as an array", JSON_STD, List.of("box/pool")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lvReports")
    void reportsAreReadWhateverSurroundsTheRows(String name, String report, List<String> fullNames) throws IOException {
        assertThat(LvmReports.parseLvs(report)).extracting(LogicalVolume::fullName).containsExactlyElementsOf(fullNames);
    }

    @Test
    void jsonStdValuesMeanTheSameAsJsonOnes() throws IOException {
        LogicalVolume pool = LvmReports.parseLvs(JSON_STD).get(0);
        assertThat(pool.size()).isEqualTo(1073741824);
        assertThat(pool.dataPercent()).hasValue(12.34);
        assertThat(pool.metadataPercent()).isEmpty();
        assertThat(pool.tags()).containsExactly("elastic", "x");
    }

    @Test
    void volumeGroupsAreReadInBytes() throws IOException {
        assertThat(LvmReports.parseVgs(VGS)).containsExactly(new VolumeGroup("box", 2139095040L, 1065353216L, 4194304));
        assertThat(LvmReports.parseVgs("{\"report\":[{\"vg\":[]}]}")).isEmpty();
    }

    static Stream<Arguments> broken() {
        String row = "\"lv_name\":\"v\", \"vg_name\":\"box\", \"lv_attr\":\"-wi-a-----\", \"pool_lv\":\"\", "
                + "\"data_percent\":\"\", \"metadata_percent\":\"\", \"lv_tags\":\"\"";
        return Stream.of(
                Arguments.of("not JSON", "  Volume group \"box\" not found", "no JSON report"),
                Arguments.of("nothing", "", "without a report"),
                Arguments.of("JSON of something else", "{\"blockdevices\": []}", "without a report"),
                Arguments.of("a field missing (the -o list changed)", "{\"report\":[{\"lv\":[{" + row + "}]}]}",
                        "row 1: no lv_size"),
                Arguments.of("a size with a suffix (--nosuffix lost)", "{\"report\":[{\"lv\":[{" + row
                        + ", \"lv_size\":\"4.00m\"}]}]}", "lv_size is not a number: \"4.00m\""),
                Arguments.of("a percentage that is no number", "{\"report\":[{\"lv\":[{" + row.replace(
                        "\"data_percent\":\"\"", "\"data_percent\":\"n/a\"") + ", \"lv_size\":\"1\"}]}]}",
                        "data_percent is not a number"),
                Arguments.of("an attr too short", "{\"report\":[{\"lv\":[{" + row.replace("-wi-a-----", "-wi")
                        + ", \"lv_size\":\"1\"}]}]}", "row 1: lv_attr of box/v is not 10 letters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aReportThatCannotBeReadSaysWhy(String name, String report, String message) {
        assertThatThrownBy(() -> LvmReports.parseLvs(report)).isInstanceOf(IOException.class)
                .hasMessageContaining(message);
    }
}
