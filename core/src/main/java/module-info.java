/**
 * multiprocessing4j: Python's {@code multiprocessing} for the JVM. Only the public package is exported;
 * everything under {@code internal} is implementation.
 */
module io.github.multiprocessing4j.core {
    exports io.github.multiprocessing4j;
}
