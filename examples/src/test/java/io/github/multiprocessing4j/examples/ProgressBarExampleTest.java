package io.github.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgressBarExampleTest {
    @Test
    void theBarReachesItsTotal_whenTheMapReturns() throws Exception {
        List<String> lines = ExampleRunner.run(ProgressBarExample.class);
        assertTrue(lines.contains("progress bar at 200/200"), lines.toString());
        assertTrue(lines.contains("sum of squares: 2646700"), lines.toString());
    }
}
