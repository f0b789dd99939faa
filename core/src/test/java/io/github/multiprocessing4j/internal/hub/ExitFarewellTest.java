package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;


import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ExitFarewellTest {
    private final List<String> said = new CopyOnWriteArrayList<>();

    private ExitFarewell.Departure hub(String name, boolean flushFails) {
        return new ExitFarewell.Departure() {
            @Override
            public void flush() {
                said.add("flush " + name);
                if (flushFails) {
                    throw new IllegalStateException("the other end of this pipe is closed: nobody can receive");
                }
            }

            @Override
            public void sayExiting() {
                said.add("goodbye " + name);
            }
        };
    }

    @Test
    void aFailingFlush_skipsNeitherTheOtherHubsFlushesNorAnyFarewell() {
        ExitFarewell.sayGoodbye(List.of(hub("a", true), hub("b", false)), false);
        assertEquals(List.of("flush a", "flush b", "goodbye a", "goodbye b"), said);
    }

    @Test
    void afterAFailure_sendsAreDeliveredButNoFarewellIsSaid() {
        ExitFarewell.sayGoodbye(List.of(hub("a", false), hub("b", false)), true);
        assertEquals(List.of("flush a", "flush b"), said);
    }
}
