package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.JvmOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything that makes one child JVM differ from another before it runs anything: the command line, the
 * environment, the working directory and where its output goes. Two {@link JvmOptions} with equal specs
 * start indistinguishable JVMs, so a spare started for one serves the other.
 */
record LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory, boolean inheritIO) {
    static LaunchSpec of(JvmOptions options) {
        return new LaunchSpec(List.copyOf(Launcher.command(options)), Map.copyOf(options.environment()),
                options.workingDirectory(), options.inheritIO());
    }

    ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        if (inheritIO) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        return builder;
    }
}
