package io.elasticcloud.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.ErrorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureWordsTest {

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /servers/5f1c/start                  | FAILED | the host could not start the server
            /api/servers/5f1c/start              | FAILED | the host could not start the server
            /servers/create                      | FAILED | the host could not create the server
            /servers/create/stopped              | SYSTEM | the system could not create the server
            /servers/5f1c/shutdown               | FAILED | the host could not shut down the server
            /servers/5f1c/set                    | FAILED | the host could not change the server
            /servers/list                        | SYSTEM | the system could not list the servers
            /servers/info                        | SYSTEM | the system could not describe the servers
            /drives/d-1/image/d-2/gunzip         | FAILED | the storage could not image the drive
            /drives/d-1/write/0                  | SYSTEM | the system could not write to the drive
            /drives/d-1/read/0/4M                | FAILED | the storage could not read the drive
            /drives/info/standard                | SYSTEM | the system could not describe the drives
            /resources/ip/create                 | FAILED | the system could not create the resource
            /actuator/users                      | SYSTEM | the system failed to carry out this command
            /servers/5f1c/frobnicate             | FAILED | the command could not be carried out
            /                                    | SYSTEM | the system failed to carry out this command
            """)
    void saysWhatFailedFromThePathAlone(String path, ErrorType type, String words) {
        assertThat(FailureWords.of(path, type)).isEqualTo(words);
    }
}
