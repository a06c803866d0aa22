package io.elasticcloud.cli.transfer;

import java.util.Arrays;

/** Whether a chunk is all zeros (a hole): such chunks are neither sent to a new drive nor written to disk. */
public final class Zeros {
    private static final byte[] ZERO = new byte[64 * 1024];

    private Zeros() {
    }

    public static boolean isAllZero(byte[] b, int from, int to) {
        // Arrays.mismatch is vectorised by the JIT: this runs at memory speed
        for (int i = from; i < to; i += ZERO.length) {
            int n = Math.min(ZERO.length, to - i);
            if (Arrays.mismatch(b, i, i + n, ZERO, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }
}
