package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharingExamplesTest {

    @Test
    void producerConsumer_everyItemIsConsumedOnce() throws Exception {
        List<String> lines = ExampleRunner.run(ProducerConsumerExample.class);
        long n = ProducerConsumerExample.N;
        assertTrue(lines.contains("sum of squares of 1.." + n + " = " + n * (n + 1) * (2 * n + 1) / 6), lines.toString());
        int taken = lines.stream().filter(l -> l.startsWith("consumer pid "))
                .mapToInt(l -> Integer.parseInt(l.replaceAll(".* took (\\d+) items", "$1"))).sum();
        assertEquals(n, taken);
    }

    @Test
    void parallelSum_matchesTheFormula() throws Exception {
        List<String> lines = ExampleRunner.run(ParallelSumExample.class);
        String total = lines.stream().filter(l -> l.startsWith("parallel sum")).findFirst().orElseThrow();
        String expected = lines.stream().filter(l -> l.startsWith("expected = ")).findFirst().orElseThrow();
        assertEquals(Double.parseDouble(expected.substring("expected = ".length())),
                Double.parseDouble(total.substring(total.indexOf("= ") + 2)));
    }
}
