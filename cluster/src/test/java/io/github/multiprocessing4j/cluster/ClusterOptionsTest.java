package io.github.multiprocessing4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.cluster.internal.Signatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Options, signatures and the bounded first connection; no cluster needed. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterOptionsTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void builder_rejectsBadValues_namingThem() {
        assertThatThrownBy(() -> ClusterOptions.builder().key(new byte[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key must have at least 16 bytes but had 8");
        assertThatThrownBy(() -> ClusterOptions.builder().addresses("localhost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("address must be host:port but was localhost");
        assertThatThrownBy(() -> ClusterOptions.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> ClusterOptions.builder().key(KEY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("addresses were not set");
    }

    @Test
    void signature_coversPoolTaskIdTimeoutAndPayload() {
        byte[] payload = {1, 2, 3};
        byte[] mac = Signatures.sign(KEY, "pool", 7, 0, payload);
        assertThat(Signatures.verify(KEY, "pool", 7, 0, payload, mac)).isTrue();
        assertThat(Signatures.verify(KEY, "pool", 8, 0, payload, mac)).isFalse();
        assertThat(Signatures.verify(KEY, "pool", 7, 1, payload, mac)).isFalse();
        assertThat(Signatures.verify(KEY, "pool", 7, 0, new byte[] {1, 2, 4}, mac)).isFalse();
        assertThat(Signatures.verify("fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "pool", 7, 0, payload, mac)).isFalse();
        assertThat(Signatures.verify(KEY, "other pool", 7, 0, payload, mac)).isFalse();
        assertThat(Signatures.verify(KEY, null, 7, 0, payload, mac)).isFalse();
        assertThat(Signatures.verify(KEY, "pool", 7, 0, payload, null)).isFalse();
    }

    @Test
    void connect_whenNoMemberAnswers_failsWithinItsBound() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ClusterOptions nobody = ClusterOptions.builder().addresses("127.0.0.1:" + port).key(KEY)
                .connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> Cluster.connect(nobody)).isInstanceOf(IllegalStateException.class);
    }
}
