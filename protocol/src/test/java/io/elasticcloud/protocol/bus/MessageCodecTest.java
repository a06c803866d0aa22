package io.elasticcloud.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.Events;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.agent.AgentCommands;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    @Test
    void registersEveryPermittedCommandAndEventAndDerivesTheReplies() {
        assertThat(codec.commandTypes()).containsExactlyInAnyOrder(Stream.of(
                        StorageCommands.StorageCommand.class.getPermittedSubclasses(),
                        AgentCommands.AgentCommand.class.getPermittedSubclasses())
                .flatMap(Stream::of).toArray(Class<?>[]::new));
        assertThat(codec.eventTypes()).containsExactlyInAnyOrder(Events.Event.class.getPermittedSubclasses());
        assertThat(codec.replyType(CreateVolume.class)).isEqualTo(VolumeInfo.class);
        assertThat(codec.replyType(DestroyVolume.class)).isEqualTo(Done.class);
        assertThat(codec.replyType(ListVolumes.class)).isEqualTo(VolumeList.class);
        assertThat(codec.replyType(DescribeNode.class)).isEqualTo(NodeStatus.class);
        assertThat(codec.allTypes()).contains(Done.class, ErrorReply.class, VolumeInfo.class, VolumeList.class);
    }

    static Stream<Class<?>> registeredTypes() {
        return new MessageCodec().allTypes().stream();
    }

    @ParameterizedTest
    @MethodSource("registeredTypes")
    void everyRegisteredTypeSurvivesTheWire(Class<?> type) {
        Object sample = SampleMessages.of(type);

        MessageCodec.Encoded encoded = codec.encode(sample);

        assertThat(encoded.type()).isEqualTo(codec.typeName(type));
        assertThat(codec.decode(encoded.type(), encoded.body())).isEqualTo(sample);
    }

    @Test
    void namesTypesByHolderAndRecord() {
        assertThat(codec.encode(SampleMessages.of(CreateVolume.class)).type()).isEqualTo("StorageCommands.CreateVolume");
        assertThat(codec.encode(SampleMessages.of(Events.ImagingProgress.class)).type())
                .isEqualTo("Events.ImagingProgress");
        assertThat(codec.encode(Done.INSTANCE).type()).isEqualTo("Done");
        assertThat(codec.encode(SampleMessages.of(VolumeInfo.class)).type()).isEqualTo("VolumeInfo");
    }

    @Test
    void writesPlainJsonOfTheRecordComponents() {
        String json = new String(codec.encode(new CreateVolume("c-1", "v-1", 1073741824L, Cipher.AES_XTS_PLAIN)).body(),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"commandId\":\"c-1\"", "\"volume\":\"v-1\"", "\"size\":1073741824",
                "\"cipher\":\"AES_XTS_PLAIN\"");
    }

    @Test
    void keepsNullFieldsNull() {
        ImagingFinished success = new ImagingFinished("store-a", "job-1", "vol-1", null, null);

        MessageCodec.Encoded encoded = codec.encode(success);

        assertThat(codec.decode(encoded.type(), encoded.body())).isEqualTo(success);
    }

    @Test
    void readsAttachmentsOfSendersThatKnowNoReadOnlyFlagAsWritableDisks() {
        Object attach = codec.decode("StorageCommands.AttachVolume",
                "{\"commandId\":\"c-1\",\"volume\":\"v-1\",\"host\":\"hv\",\"holder\":\"s/1\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(attach).isEqualTo(new AttachVolume("c-1", "v-1", "hv", "s/1", false));
        AttachVolume readOnly = new AttachVolume("c-2", "v-1", "hv", "s/1", true);
        MessageCodec.Encoded encoded = codec.encode(readOnly);
        assertThat(codec.decode(encoded.type(), encoded.body())).isEqualTo(readOnly);
    }

    @Test
    void readsAttachmentsOfSendersThatKnowNoExportsAsLocalPaths() {
        Object attach = codec.decode("StorageCommands.AttachVolume",
                "{\"commandId\":\"c-1\",\"volume\":\"v-1\"}".getBytes(StandardCharsets.UTF_8));
        Object attachment = codec.decode("VolumeAttachment",
                "{\"volume\":\"v-1\",\"path\":\"/v/v-1.raw\",\"cipher\":\"NONE\",\"passphrase\":null}"
                        .getBytes(StandardCharsets.UTF_8));
        String json = new String(codec.encode(new VolumeAttachment("v-1", null, Cipher.NONE, null,
                new NbdExport("192.0.2.20", 10809, "v-1"))).body(), StandardCharsets.UTF_8);

        assertThat(attach).isEqualTo(new AttachVolume("c-1", "v-1"));
        assertThat(attachment).isEqualTo(new VolumeAttachment("v-1", "/v/v-1.raw", Cipher.NONE, null));
        assertThat(((VolumeAttachment) attachment).source()).isEqualTo("/v/v-1.raw");
        // derived accessors (source, uri) are not carried: a receiver of an older version would refuse them
        assertThat(json).doesNotContain("source", "uri")
                .contains("\"nbd\":{\"host\":\"192.0.2.20\",\"port\":10809,\"export\":\"v-1\",\"tls\":false}");
    }

    @Test
    void anExportOfASenderThatKnowsNoTlsIsWithoutTls() {
        Object attachment = codec.decode("VolumeAttachment", ("{\"volume\":\"v-1\",\"cipher\":\"NONE\","
                + "\"nbd\":{\"host\":\"192.0.2.20\",\"port\":10809,\"export\":\"v-1\"}}").getBytes(StandardCharsets.UTF_8));
        Object tls = codec.decode("VolumeAttachment", ("{\"volume\":\"v-1\",\"cipher\":\"NONE\","
                + "\"nbd\":{\"host\":\"192.0.2.20\",\"port\":10809,\"export\":\"v-1\",\"tls\":true}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(((VolumeAttachment) attachment).nbd()).isEqualTo(new NbdExport("192.0.2.20", 10809, "v-1", false));
        assertThat(((VolumeAttachment) tls).nbd()).isEqualTo(new NbdExport("192.0.2.20", 10809, "v-1", true));
    }

    @Test
    void rejectsAnUnknownTypeName() {
        assertThatThrownBy(() -> codec.decode("StorageCommands.FormatDisk", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown message type 'StorageCommands.FormatDisk'");
        assertThatThrownBy(() -> codec.decode(null, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToEncodeWhatIsNotRegistered() {
        assertThatThrownBy(() -> codec.encode(new VolumeRef("store-a", "v-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(VolumeRef.class.getName());
        assertThatThrownBy(() -> codec.encode("a string")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBodiesThatAreNotTheNamedType() {
        byte[] unknownField = "{\"commandId\":\"c-1\",\"volume\":\"v-1\",\"size\":1,\"cipher\":\"NONE\",\"shred\":true}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] missingSize = "{\"commandId\":\"c-1\",\"volume\":\"v-1\",\"cipher\":\"NONE\"}".getBytes(StandardCharsets.UTF_8);
        byte[] notJson = "create v-1 please".getBytes(StandardCharsets.UTF_8);

        for (byte[] body : List.of(unknownField, missingSize, notJson)) {
            assertThatThrownBy(() -> codec.decode("StorageCommands.CreateVolume", body))
                    .as(new String(body, StandardCharsets.UTF_8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot decode StorageCommands.CreateVolume");
        }
    }

    interface OpenCommand<R> extends Command<R> {
    }

    sealed interface TextCommand<R> extends Command<R> permits Echo {
    }

    record Echo(String commandId) implements TextCommand<String> {
    }

    @Test
    void refusesHierarchiesItCannotDerive() {
        assertThatThrownBy(() -> new MessageCodec(List.of(OpenCommand.class), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither a record nor a sealed type");
        assertThatThrownBy(() -> new MessageCodec(List.of(TextCommand.class), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must name a record");
    }

    @Test
    void exposesNoTypeTwice() {
        List<String> names = codec.allTypes().stream().map(codec::typeName).toList();

        assertThat(names).doesNotHaveDuplicates();
        assertThat(Arrays.asList(StorageCommands.StorageCommand.class.getPermittedSubclasses()))
                .allSatisfy(type -> assertThat(names).contains(codec.typeName(type)));
    }
}
