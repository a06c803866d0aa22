package io.elasticcloud.api.web.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTypingTest {

    // Expected output is the JSON text of the value, so a number and a string of digits differ.
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // the spec's numeric keys, when the value is an integer
        "cpu                     | 2000                 | 2000",
        "mem                     | 1024                 | 1024",
        "size                    | 171798691840         | 171798691840",
        "rawsize                 | 1073741824           | 1073741824",
        "smp                     | 2                    | 2",
        "started                 | 1300000000           | 1300000000",
        "size                    | 123456789012345678901234567890 | 123456789012345678901234567890",
        "cpu                     | -1                   | -1",
        "cpu                     | 0                    | 0",
        // counters
        "read:bytes              | 4096                 | 4096",
        "read:requests           | 1                    | 1",
        "write:bytes             | 0                    | 0",
        "write:requests          | 7                    | 7",
        "ide:0:0:read:bytes      | 512                  | 512",
        "scsi:0:7:write:requests | 3                    | 3",
        "block:0:read:bytes      | 9                    | 9",
        "nic:0:rx:bytes          | 100                  | 100",
        "nic:1:tx:packets        | 5                    | 5",
        "nic:0:rx                | 100                  | 100",
        "nic:1:tx                | 200                  | 200",
        // numeric keys whose value is not a canonical integer stay strings
        "smp                     | auto                 | \"auto\"",
        "size                    | 160G                 | \"160G\"",
        "cpu                     | 1.5                  | \"1.5\"",
        "mem                     | 007                  | \"007\"",
        "mem                     | +7                   | \"+7\"",
        "mem                     | -0                   | \"-0\"",
        "started                 | ` 1`                 | \" 1\"",
        // every other key is a string, however numeric it looks
        "smp:cores               | 2                    | \"2\"",
        "smp:sockets             | 1                    | \"1\"",
        "vnc:password            | 1234                 | \"1234\"",
        "name                    | 42                   | \"42\"",
        "tags                    | 1 2                  | \"1 2\"",
        "persistent              | true                 | \"true\"",
        "nic:0:dhcp:ip           | 10.0.0.1             | \"10.0.0.1\"",
        "nic:0:rxx               | 1                    | \"1\"",
        "cpus                    | 1                    | \"1\"",
        "imaging                 | 42%                  | \"42%\"",
        "user:bytes              | 1                    | \"1\"",
        "user:backup:bytes       | 100                  | \"100\"",
        "user:cpu                | 2000                 | \"2000\"",
        "claimed                 | u:guest:s:ide:0:0 u:guest:t:ide:0:1 | \"u:guest:s:ide:0:0 u:guest:t:ide:0:1\"",
        // boot: several devices are a list, one device a string
        "boot                    | ide:0:0              | \"ide:0:0\"",
        "boot                    | ide:0:0 ide:0:1      | [\"ide:0:0\",\"ide:0:1\"]",
        "boot                    | ide:0:0  scsi:0:1 block:2 | [\"ide:0:0\",\"scsi:0:1\",\"block:2\"]",
        // text that needs escaping in JSON
        "name                    | say \"hi\" \\ 名前   | \"say \\\"hi\\\" \\\\ 名前\"",
    })
    void typesOneValue(String key, String value, String expectedJson) {
        assertEquals(expectedJson, JsonTyping.toJson(key, value).toString());
    }
}
