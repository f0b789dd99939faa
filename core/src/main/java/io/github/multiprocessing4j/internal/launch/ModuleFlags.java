package io.github.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The module-system flags this JVM was started with, for a child that must resolve the same modules: the
 * module path, and every {@code --patch-module}, {@code --add-reads}, {@code --add-opens},
 * {@code --add-exports}, {@code --add-modules}, {@code --limit-modules} and {@code --upgrade-module-path}.
 *
 * <p>The JVM keeps only the module path readable ({@code jdk.module.path}); the others are read from this
 * process's command line ({@link ProcessHandle.Info#arguments()}), expanding {@code @argfiles} the way the
 * {@code java} launcher does (Surefire passes them so for a modular project, patching the test classes into
 * the module under test). Reading stops at the main class, {@code -m} or {@code -jar}.
 */
final class ModuleFlags {
    private static final Set<String> MIRRORED = Set.of("--patch-module", "--add-reads", "--add-opens",
            "--add-exports", "--add-modules", "--limit-modules", "--upgrade-module-path");
    /** Launcher options whose value is the next argument; values are skipped, not taken for the main class. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports",
            "--add-opens", "--patch-module", "--enable-native-access", "--source");
    private static final Set<String> MAIN_FOLLOWS = Set.of("-m", "--module", "-jar");

    private static volatile List<String> cached;

    private ModuleFlags() {}

    static List<String> ofThisJvm() {
        List<String> flags = cached;
        if (flags == null) {
            flags = new ArrayList<>();
            String modulePath = ChildEntry.absolute(System.getProperty("jdk.module.path", ""));
            if (!modulePath.isEmpty()) {
                flags.add("--module-path");
                flags.add(modulePath);
                flags.add("--add-modules");
                flags.add("ALL-MODULE-PATH");
            }
            flags.addAll(mirrored(expand(ProcessHandle.current().info().arguments().map(List::of).orElse(List.of()))));
            cached = flags = List.copyOf(flags);
        }
        return flags;
    }

    /** The module flags among a {@code java} command's arguments (after the program name), in order. */
    static List<String> mirrored(List<String> arguments) {
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (MAIN_FOLLOWS.contains(arg) || !arg.startsWith("-")) {
                break;
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            boolean separateValue = eq < 0 && WITH_VALUE.contains(arg) && i + 1 < arguments.size();
            if (MIRRORED.contains(name)) {
                flags.add(name);
                flags.add(separateValue ? arguments.get(i + 1) : arg.substring(eq + 1));
            }
            if (separateValue) {
                i++;
            }
        }
        return flags;
    }

    /** Replaces each {@code @file} with the arguments in it, as the {@code java} launcher does. */
    static List<String> expand(List<String> arguments) {
        List<String> expanded = new ArrayList<>();
        for (String arg : arguments) {
            if (arg.startsWith("@") && !arg.startsWith("@@")) {
                try {
                    expanded.addAll(tokens(Files.readString(Path.of(arg.substring(1)))));
                } catch (IOException | RuntimeException e) {
                    expanded.add(arg);
                }
            } else {
                expanded.add(arg.startsWith("@@") ? arg.substring(1) : arg);
            }
        }
        return expanded;
    }

    /** Splits an argument file's text: whitespace separates, quotes group, a backslash in quotes escapes. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length()) {
                    token.append(text.charAt(++i));
                } else {
                    token.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
            } else if (c == '#' && token == null) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else {
                if (token == null) {
                    token = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                } else {
                    token.append(c);
                }
            }
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
