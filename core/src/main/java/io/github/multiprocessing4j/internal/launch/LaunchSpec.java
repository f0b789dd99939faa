package io.github.multiprocessing4j.internal.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything that makes one child JVM differ from another before it runs anything: the command line, the
 * environment, the working directory and where its output goes. Two launches with equal specs start
 * indistinguishable JVMs, so a spare started for one serves the other.
 */
record LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory, Output output) {
    /** Where a child's stdout and stderr go. */
    enum Output {
        /** Copied line by line to this JVM's {@code System.out} and {@code System.err}, with a stderr tail kept. */
        COPIED,
        /** This JVM's own stdout and stderr, written to directly. */
        INHERITED,
        /** Nowhere: a child of the library's own whose output nobody reads. */
        DISCARDED
    }

    LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    LaunchSpec withCommand(List<String> otherCommand, Output otherOutput) {
        return new LaunchSpec(otherCommand, environment, workingDirectory, otherOutput);
    }

    ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        if (output == Output.INHERITED) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        } else if (output == Output.DISCARDED) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        return builder;
    }
}
