package io.elasticcloud.api.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DriveClaimsTest {
    private static final UUID ALICE = UUID.fromString("a11ce000-0000-4000-8000-000000000001");
    private static final UUID BOB = UUID.fromString("b0b00000-0000-4000-8000-000000000002");
    private static final UUID ALICES = UUID.fromString("a11ce000-0000-4000-8000-00000000000a");
    private static final UUID BOBS = UUID.fromString("b0b00000-0000-4000-8000-00000000000b");
    private static final UUID BOBS_2 = UUID.fromString("b0b00000-0000-4000-8000-00000000000c");

    private static final List<DriveClaims.Claim> CLAIMS = List.of(
            new DriveClaims.Claim(BOB, BOBS, "ide:0:0"),
            new DriveClaims.Claim(ALICE, ALICES, "block:1"),
            new DriveClaims.Claim(BOB, BOBS_2, "ide:0:0"));

    @Test
    void ownClaimsInFullOthersWithoutTheirIds() {
        assertEquals(ALICE + ":guest:" + ALICES + ":block:1 other:guest:other:ide:0:0",
                DriveClaims.claimed(CLAIMS, ALICE));
        assertEquals(BOB + ":guest:" + BOBS + ":ide:0:0 " + BOB + ":guest:" + BOBS_2 + ":ide:0:0"
                        + " other:guest:other:block:1",
                DriveClaims.claimed(CLAIMS, BOB));
    }

    @Test
    void aStrangerSeesNoIdAtAll() {
        assertEquals("other:guest:other:block:1 other:guest:other:ide:0:0",
                DriveClaims.claimed(CLAIMS, UUID.fromString("5e1f0000-0000-4000-8000-000000000003")));
    }

    @Test
    void noClaimsIsEmpty() {
        assertEquals("", DriveClaims.claimed(List.of(), ALICE));
    }
}
