package io.elasticcloud.storage.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The handshake's bytes, both ways, as the protocol document lays them out. */
class NbdHandshakeCodecTest {
    static final NbdTarget TARGET = new NbdTarget("127.0.0.1", 10809, "vol");

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @ParameterizedTest(name = "{0}: flags {2}")
    @CsvSource(delimiter = '|', value = {
        "fixed newstyle, no zeroes | 4e42444d41474943 49484156454f5054 0003 | 3",
        "fixed newstyle only       | 4e42444d41474943 49484156454f5054 0001 | 1",
        "unknown flags kept        | 4e42444d41474943 49484156454f5054 8003 | 32771",
    })
    void readsTheServersGreeting(String row, String greeting, int flags) throws IOException {
        assertThat(NbdHandshakeCodec.greeting(hex(greeting))).isEqualTo(flags);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an HTTP server    | 485454502f312e31 2034303020426164 0d0a | not an NBD server",
        "oldstyle          | 4e42444d41474943 0000420281861253 0000 | oldstyle handshake",
        "plain newstyle    | 4e42444d41474943 49484156454f5054 0000 | does not offer the fixed newstyle handshake",
        "short             | 4e42444d41474943                       | greeting of 8 bytes, expected 18",
    })
    void refusesWhatIsNoFixedNewstyleGreeting(String row, String greeting, String message) {
        assertThatThrownBy(() -> NbdHandshakeCodec.greeting(hex(greeting)))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "server {0} -> client {1}")
    @CsvSource({
        "3,     00000003",
        "1,     00000001",
        "65535, 00000003",
    })
    void answersWithFixedNewstyleAndNoZeroesOnlyWhenOffered(int handshakeFlags, String clientFlags) {
        assertThat(hex(NbdHandshakeCodec.clientFlags(handshakeFlags))).isEqualTo(clientFlags);
    }

    @ParameterizedTest(name = "GO \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "raw-vol | 49484156454f5054 00000007 0000000d 00000007 7261772d766f6c 0000",
        "''      | 49484156454f5054 00000007 00000006 00000000 0000",
        "é       | 49484156454f5054 00000007 00000008 00000002 c3a9 0000",
    })
    void sendsGoWithTheExportNameAndNoInfoRequests(String export, String bytes) {
        assertThat(hex(NbdHandshakeCodec.go(export))).isEqualTo(bytes.replace(" ", ""));
    }

    @Test
    void abortsWithAnEmptyOption() {
        assertThat(hex(NbdHandshakeCodec.option(NbdProtocol.OPT_ABORT, new byte[0])))
                .isEqualTo("49484156454f5054" + "00000002" + "00000000");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ACK            | 0003e889045565a9 00000007 00000001 00000000 | 1          | 0",
        "INFO, 12 bytes | 0003e889045565a9 00000007 00000003 0000000c | 3          | 12",
        "ERR_UNKNOWN    | 0003e889045565a9 00000007 80000006 00000017 | -2147483642 | 23",
    })
    void readsOptionReplyHeaders(String row, String header, int type, int length) throws IOException {
        assertThat(NbdHandshakeCodec.optionReply(hex(header), NbdProtocol.OPT_GO))
                .isEqualTo(new OptionReply(NbdProtocol.OPT_GO, type, length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong magic     | 0003e889045565aa 00000007 00000001 00000000 | bad option reply magic",
        "other option    | 0003e889045565a9 00000005 00000001 00000000 | answered option 5 to option 7",
        "too long        | 0003e889045565a9 00000007 00000003 00100000 | 1048576 bytes is longer",
        "negative length | 0003e889045565a9 00000007 00000003 ffffffff | 4294967295 bytes is longer",
    })
    void refusesBadOptionReplyHeaders(String row, String header, String message) {
        assertThatThrownBy(() -> NbdHandshakeCodec.optionReply(hex(header), NbdProtocol.OPT_GO))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining(message);
    }

    @Test
    void decodesInfos() throws IOException {
        assertThat(NbdHandshakeCodec.info(hex("0000 0000000000400000 01ed")))
                .isEqualTo(new NbdInfo.Export(4 << 20, 0x1ed));
        assertThat(NbdHandshakeCodec.info(hex("0003 00000001 00001000 02000000")))
                .isEqualTo(new NbdInfo.BlockSize(1, 4096, 32 << 20));
        assertThat(NbdHandshakeCodec.info(hex("0001 766f6c"))).isEqualTo(new NbdInfo.Other(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no type            | 00                                   | has no type",
        "short export       | 0000 0000000000400000                | NBD_INFO_EXPORT of 10 bytes, expected 12",
        "huge export        | 0000 8000000000000000 0001           | export size 9223372036854775808 is too large",
        "long block size    | 0003 00000001 00001000 02000000 0000 | NBD_INFO_BLOCK_SIZE of 16 bytes, expected 14",
    })
    void refusesMalformedInfos(String row, String data, String message) {
        assertThatThrownBy(() -> NbdHandshakeCodec.info(hex(data)))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining(message);
    }

    /** What qemu-storage-daemon 7.2 answers to GO: block sizes, the export, ACK. */
    @Test
    void goCompletesWithTheExportAndTheServersMaximumPayload() throws IOException {
        GoReplies go = new GoReplies(TARGET);
        assertThat(go.accept(info(14), hex("0003 00000001 00001000 00100000"))).isFalse();
        assertThat(go.accept(info(12), hex("0000 0000000000400000 0d6d"))).isFalse();
        assertThat(go.accept(new OptionReply(7, NbdProtocol.REP_ACK, 0), new byte[0])).isTrue();
        ExportInfo export = go.result();
        assertThat(export).isEqualTo(new ExportInfo(4 << 20, 0x0d6d, 1 << 20));
        assertThat(export.readOnly()).isFalse();
        assertThat(export.canFlush()).isTrue();
        assertThat(export.canTrim()).isTrue();
        assertThat(export.canWriteZeroes()).isTrue();
    }

    @Test
    void payloadsStayWithin32MiBWhateverTheServerAllows() throws IOException {
        GoReplies go = new GoReplies(TARGET);
        go.accept(info(14), hex("0003 00000001 00001000 ffffffff"));
        go.accept(info(12), hex("0000 0000000000400000 0003"));
        go.accept(new OptionReply(7, NbdProtocol.REP_ACK, 0), new byte[0]);
        assertThat(go.result()).isEqualTo(new ExportInfo(4 << 20, 3, 32 << 20));
        assertThat(go.result().readOnly()).isTrue();
        assertThat(go.result().canFlush()).isFalse();
    }

    @Test
    void flagsWithoutHasFlagsPromiseNothing() {
        assertThat(new ExportInfo(1, NbdProtocol.FLAG_READ_ONLY | NbdProtocol.FLAG_SEND_FLUSH, 1).readOnly()).isFalse();
        assertThat(new ExportInfo(1, NbdProtocol.FLAG_READ_ONLY | NbdProtocol.FLAG_SEND_FLUSH, 1).canFlush()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown export | -2147483642 | export 'vol' not present | cannot open NBD export 'vol' at nbd://127.0.0.1:10809/vol: unknown export (server: export 'vol' not present)",
        "no message     | -2147483642 | ''                       | cannot open NBD export 'vol' at nbd://127.0.0.1:10809/vol: unknown export",
        "TLS required   | -2147483643 | TLS required             | cannot open NBD export 'vol' at nbd://127.0.0.1:10809/vol: the server requires TLS, which this client does not negotiate yet (server: TLS required)",
        "policy         | -2147483646 | ''                       | cannot open NBD export 'vol' at nbd://127.0.0.1:10809/vol: refused by the server's policy",
        "shutting down  | -2147483641 | ''                       | cannot open NBD export 'vol' at nbd://127.0.0.1:10809/vol: the server is shutting down",
        "unlisted error | -2147483548 | ''                       | cannot open NBD export 'vol' at nbd://127.0.0.1:10809/vol: error reply 0x80000064",
    })
    void errorRepliesAreErrorsNamingTheExport(String row, int type, String said, String message) {
        byte[] data = said.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        GoReplies go = new GoReplies(TARGET);
        assertThatThrownBy(() -> go.accept(new OptionReply(7, type, data.length), data))
                .isInstanceOf(IOException.class).isNotInstanceOf(NbdProtocolException.class).hasMessage(message);
    }

    @Test
    void anAckWithoutTheExportOrAnUnknownReplyTypeBreaksTheProtocol() throws IOException {
        assertThatThrownBy(() -> new GoReplies(TARGET).accept(new OptionReply(7, NbdProtocol.REP_ACK, 0), new byte[0]))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining("without saying its size");
        assertThatThrownBy(() -> new GoReplies(TARGET).accept(new OptionReply(7, 2, 0), new byte[0]))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining("unexpected reply type 2");
        GoReplies endless = new GoReplies(TARGET);
        for (int i = 0; i < GoReplies.MAX_REPLIES; i++) {
            endless.accept(info(3), hex("0001 76"));
        }
        assertThatThrownBy(() -> endless.accept(info(3), hex("0001 76")))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining("more than 64 replies");
    }

    private static OptionReply info(int length) {
        return new OptionReply(NbdProtocol.OPT_GO, NbdProtocol.REP_INFO, length);
    }
}
