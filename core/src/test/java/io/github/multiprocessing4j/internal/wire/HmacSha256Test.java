package io.github.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
    @Test
    void matchesRfc4231TestCase2() {
        byte[] mac = new HmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII))
                .update("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)).finish();
        assertThat(HexFormat.of().formatHex(mac))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void agreesWithJavaxCryptoForKeysAndMessagesOfEveryLength() throws Exception {
        Random random = new Random(42);
        for (int keyLength : new int[] {1, 16, 32, 63, 64, 65, 200}) {
            for (int messageLength : new int[] {0, 1, 55, 64, 100, 1000}) {
                byte[] key = new byte[keyLength];
                byte[] first = new byte[messageLength];
                byte[] second = new byte[messageLength / 2];
                random.nextBytes(key);
                random.nextBytes(first);
                random.nextBytes(second);
                Mac reference = Mac.getInstance("HmacSHA256");
                reference.init(new SecretKeySpec(key, "HmacSHA256"));
                reference.update(first);
                reference.update(second);
                assertThat(new HmacSha256(key).update(first).update(second).finish())
                        .as("key %d bytes, message %d bytes", keyLength, messageLength)
                        .isEqualTo(reference.doFinal());
            }
        }
    }
}
