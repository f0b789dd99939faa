package io.github.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChildProcessTest {
    @Test
    void pythonExitCode_readsSignalDeathsAsNegative() {
        assertEquals(-9, ChildProcess.pythonExitCode(137, false));
        assertEquals(-15, ChildProcess.pythonExitCode(143, false));
        assertEquals(3, ChildProcess.pythonExitCode(3, false));
        assertEquals(0, ChildProcess.pythonExitCode(0, true));
        assertEquals(143, ChildProcess.pythonExitCode(143, true), "a child that finished chose its own code");
        assertEquals(200, ChildProcess.pythonExitCode(200, false), "above 128+64 is no signal");
    }
}
