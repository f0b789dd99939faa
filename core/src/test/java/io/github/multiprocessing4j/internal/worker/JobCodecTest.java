package io.github.multiprocessing4j.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.SerializationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JobCodecTest {
    static int runs;

    static void countRun() {
        runs++;
    }

    private static void fail() {
        throw new IllegalStateException("from a private static target");
    }

    @Test
    void aStaticMethodReference_travelsByName_andRunsByReflection() throws Throwable {
        byte[] payload = JobCodec.encode(new ProcessJobs.RunTarget(JobCodecTest::countRun), "target");
        assertThat(payload[0]).isEqualTo((byte) 'M');
        assertThat(new String(payload, StandardCharsets.UTF_8)).contains(JobCodecTest.class.getName()).contains("countRun");

        int before = runs;
        JobCodec.decode(payload).run();
        assertThat(runs).isEqualTo(before + 1);
    }

    @Test
    void aPrivateTarget_throwsItsOwnException_notAReflectionWrapper() {
        Job job = JobCodec.decode(JobCodec.encode(new ProcessJobs.RunTarget(JobCodecTest::fail), "target"));
        assertThatThrownBy(job::run).isInstanceOf(IllegalStateException.class).hasMessage("from a private static target");
    }

    @Test
    void aLambdaThatCapturesSomething_travelsSerialized() throws Throwable {
        int[] box = {0};
        String captured = "x";
        SerializableRunnable capturing = () -> box[0] = captured.length();
        byte[] payload = JobCodec.encode(new ProcessJobs.RunTarget(capturing), "target");
        assertThat(payload[0]).isNotEqualTo((byte) 'M');
        assertThat(JobCodec.decode(payload)).isInstanceOf(ProcessJobs.RunTarget.class);
    }

    @Test
    void otherJobs_travelSerialized() {
        byte[] payload = JobCodec.encode(new ProcessJobs.RunWithArgument<>(JobCodecTest::takes, "argument"), "target");
        assertThat(payload[0]).isNotEqualTo((byte) 'M');
        assertThat(JobCodec.decode(payload)).isInstanceOf(ProcessJobs.RunWithArgument.class);
    }

    static void takes(String argument) {
        runs += argument.length();
    }

    @Test
    void aTargetWhoseClassIsMissingHere_failsNamingTheClassAndTheClassPath() {
        Job job = JobCodec.decode(JobCodec.encode(new ProcessJobs.RunTarget(JobCodecTest::countRun), "target"));
        Job missing = new JobCodec.StaticMethod("com.example.NotHere", "run");
        assertThat(job).isNotNull();
        assertThatThrownBy(missing::run).isInstanceOf(SerializationException.class)
                .hasMessageContaining("com.example.NotHere::run").hasMessageContaining("class path");
    }

    @Test
    void malformedPayloads_areSerializationExceptions() {
        assertThatThrownBy(() -> JobCodec.decode(new byte[0])).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> JobCodec.decode(new byte[] {'X', 1, 2})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> JobCodec.decode(io.github.multiprocessing4j.internal.codec.Codec.encode("not a job", "x")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not a job");
        assertThatThrownBy(() -> JobCodec.decode(new byte[] {'M', (byte) 0xff, (byte) 0xff, 'a'}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("bytes");
    }
}
