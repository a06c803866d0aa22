package io.elasticcloud.storage.nbd;

import static io.elasticcloud.storage.nbd.NbdHandshakeCodecTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request and simple reply headers, and what an error reply becomes. */
class NbdTransmissionCodecTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // row                | type | flags | cookie | offset        | length   | header
        "READ 4 KiB at 0       | 0    | 0     | 1      | 0             | 4096     | 25609513 0000 0000 0000000000000001 0000000000000000 00001000",
        "WRITE 32 MiB at 1 TiB | 1    | 0     | 2      | 1099511627776 | 33554432 | 25609513 0000 0001 0000000000000002 0000010000000000 02000000",
        "WRITE with FUA flag   | 1    | 1     | 3      | 512           | 512      | 25609513 0001 0001 0000000000000003 0000000000000200 00000200",
        "FLUSH                 | 3    | 0     | 4      | 0             | 0        | 25609513 0000 0003 0000000000000004 0000000000000000 00000000",
        "TRIM 1 MiB at 4 KiB   | 4    | 0     | 5      | 4096          | 1048576  | 25609513 0000 0004 0000000000000005 0000000000001000 00100000",
        "WRITE_ZEROES          | 6    | 0     | 6      | 512           | 3        | 25609513 0000 0006 0000000000000006 0000000000000200 00000003",
        "DISC, last cookie     | 2    | 0     | -1     | 0             | 0        | 25609513 0000 0002 ffffffffffffffff 0000000000000000 00000000",
    })
    void encodesRequestHeaders(String row, int type, int flags, long cookie, long offset, int length, String bytes) {
        byte[] header = NbdTransmissionCodec.request(new NbdRequest(flags, type, cookie, offset, length));
        assertThat(NbdHandshakeCodecTest.hex(header)).isEqualTo(bytes.replace(" ", ""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "success  | 67446698 00000000 0000000000000001 | 0  | 1",
        "EPERM    | 67446698 00000001 0000000000000002 | 1  | 2",
        "ENOSPC   | 67446698 0000001c ffffffffffffffff | 28 | -1",
    })
    void decodesSimpleReplies(String row, String bytes, int error, long cookie) throws IOException {
        assertThat(NbdTransmissionCodec.reply(hex(bytes))).isEqualTo(new NbdReply(error, cookie));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "structured     | 668e33ef 0001 0000 0000000000000001 | structured reply, which was not negotiated",
        "garbage        | 00000000 00000000 0000000000000001 | bad reply magic 0x0",
        "short          | 67446698 00000000                  | reply header of 8 bytes",
    })
    void refusesAnythingButASimpleReply(String row, String bytes, String message) {
        assertThatThrownBy(() -> NbdTransmissionCodec.reply(hex(bytes)))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "1   | WRITE of 4096 bytes at offset 512 on NBD export 'vol' at nbd://127.0.0.1:10809/vol failed: EPERM (operation not permitted: a read-only export refuses writes)",
        "5   | WRITE of 4096 bytes at offset 512 on NBD export 'vol' at nbd://127.0.0.1:10809/vol failed: EIO",
        "22  | WRITE of 4096 bytes at offset 512 on NBD export 'vol' at nbd://127.0.0.1:10809/vol failed: EINVAL",
        "95  | WRITE of 4096 bytes at offset 512 on NBD export 'vol' at nbd://127.0.0.1:10809/vol failed: ENOTSUP",
        "108 | WRITE of 4096 bytes at offset 512 on NBD export 'vol' at nbd://127.0.0.1:10809/vol failed: ESHUTDOWN",
        "99  | WRITE of 4096 bytes at offset 512 on NBD export 'vol' at nbd://127.0.0.1:10809/vol failed: errno 99",
    })
    void errorRepliesAreIoExceptionsNamingTheErrno(int errno, String message) {
        assertThatThrownBy(() -> NbdErrno.raise(NbdHandshakeCodecTest.TARGET, write(), errno))
                .isInstanceOfSatisfying(NbdErrorException.class, e -> assertThat(e.errno()).isEqualTo(errno))
                .hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void noSpaceLeftIsFull() {
        assertThatThrownBy(() -> NbdErrno.raise(NbdHandshakeCodecTest.TARGET, write(), NbdErrno.ENOSPC))
                .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FULL))
                .hasMessage("no space left for volume data: WRITE of 4096 bytes at offset 512 failed: ENOSPC");
    }

    private static NbdRequest write() {
        return new NbdRequest(0, NbdProtocol.CMD_WRITE, 7, 512, 4096);
    }
}
