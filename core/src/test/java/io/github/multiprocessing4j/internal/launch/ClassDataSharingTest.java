package io.github.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.FamilyMain;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-data sharing for children: which commands qualify, that only a whole archive is ever used, and, with
 * real JVMs on a class path of jars, that a missing archive is made and used and a damaged one is replaced
 * without any child failing to start.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassDataSharingTest {
    @TempDir
    Path dir;

    private List<String> command(String classPath, String... jvmArgs) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/java"));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", classPath, Launcher.CHILD_MAIN));
        return command;
    }

    private Path jar(String name) throws Exception {
        return Files.write(dir.resolve(name), new byte[] {1, 2, 3});
    }

    @Test
    void onlyClassPathsOfJars_withoutASharingChoiceOfTheirOwn_getAnArchive() throws Exception {
        ClassDataSharing sharing = new ClassDataSharing(dir.resolve("cds"), true);
        String jars = jar("a.jar") + File.pathSeparator + jar("b.jar");

        assertThat(sharing.archiveFor(command(jars))).isPresent();
        assertThat(sharing.archiveFor(command(jars + File.pathSeparator + dir))).as("a directory").isEmpty();
        assertThat(sharing.archiveFor(command(jars, "-Xshare:off"))).as("own choice").isEmpty();
        assertThat(sharing.archiveFor(command(jars, "-XX:SharedArchiveFile=mine.jsa"))).as("own archive").isEmpty();
        assertThat(new ClassDataSharing(dir.resolve("cds"), false).archiveFor(command(jars))).as("switched off").isEmpty();
        assertThat(sharing.archiveFor(command(jars, "-Xmx64m")).orElseThrow())
                .as("other options, other archive").isNotEqualTo(sharing.archiveFor(command(jars)).orElseThrow());
    }

    @Test
    void anArchiveIsUsedOnlyWhenItsChecksumMatches_andADamagedOneIsDeleted() throws Exception {
        ClassDataSharing sharing = new ClassDataSharing(dir.resolve("cds"), true);
        ClassDataSharing.Archive archive = sharing.archiveFor(command(jar("a.jar").toString())).orElseThrow();
        assertThat(sharing.useFlag(archive)).as("missing").isEmpty();

        ClassDataSharing.Training training = sharing.claimTraining(archive).orElseThrow();
        assertThat(sharing.claimTraining(archive)).as("once per JVM").isEmpty();
        Files.write(training.partial(), new byte[] {42, 43, 44});
        sharing.trainingEnded(training, 0);
        assertThat(archive.file()).exists();
        assertThat(Files.readString(archive.checksum(), StandardCharsets.US_ASCII).trim())
                .isEqualTo(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {42, 43, 44})));

        ClassDataSharing fresh = new ClassDataSharing(dir.resolve("cds"), true);
        assertThat(fresh.useFlag(archive)).contains(archive.useFlag());

        Files.write(archive.file(), new byte[] {42, 43}); // truncated after the fact
        ClassDataSharing another = new ClassDataSharing(dir.resolve("cds"), true);
        assertThat(another.useFlag(archive)).isEmpty();
        assertThat(archive.file()).doesNotExist();
        assertThat(archive.checksum()).doesNotExist();
    }

    @Test
    void aTrainingRunThatFailed_leavesNoArchive() throws Exception {
        ClassDataSharing sharing = new ClassDataSharing(dir.resolve("cds"), true);
        ClassDataSharing.Archive archive = sharing.archiveFor(command(jar("a.jar").toString())).orElseThrow();
        ClassDataSharing.Training training = sharing.claimTraining(archive).orElseThrow();
        Files.write(training.partial(), new byte[] {1});
        sharing.trainingEnded(training, 1);
        assertThat(archive.file()).doesNotExist();
        assertThat(training.partial()).doesNotExist();
    }

    @Test
    void theCacheKeepsTheArchivesUsedMostRecently_andRemovesPartialFilesOfDeadTrainings() throws Exception {
        ClassDataSharing sharing = new ClassDataSharing(dir.resolve("cds"), true);
        ClassDataSharing.Archive real = sharing.archiveFor(command(jar("a.jar").toString())).orElseThrow();
        ClassDataSharing.Training training = sharing.claimTraining(real).orElseThrow();
        Files.write(training.partial(), new byte[] {7, 8, 9});
        sharing.trainingEnded(training, 0);
        Path cds = real.file().getParent();
        Instant now = Instant.now();
        Files.setLastModifiedTime(real.checksum(), FileTime.from(now.minus(Duration.ofHours(3))));
        List<Path> others = new ArrayList<>();
        for (int i = 0; i < ClassDataSharing.KEPT + 4; i++) { // other0 is the least recently used
            Path other = Files.write(cds.resolve("other" + i + ".jsa"), new byte[] {1});
            Files.setLastModifiedTime(Files.writeString(cds.resolve("other" + i + ".jsa.sha256"), "x"),
                    FileTime.from(now.minus(Duration.ofMinutes(100 - i))));
            others.add(other);
        }
        Path dead = Files.write(cds.resolve("other0.jsa.1.partial"), new byte[] {1});
        Files.setLastModifiedTime(dead, FileTime.from(now.minus(Duration.ofHours(2))));
        Path writing = Files.write(cds.resolve("other1.jsa.2.partial"), new byte[] {1});

        // Another JVM checks the real archive: that counts as a use, so it is now the most recent.
        assertThat(new ClassDataSharing(cds, true).useFlag(real)).contains(real.useFlag());
        sharing.prune();

        assertThat(real.file()).as("used just now").exists();
        assertThat(others.subList(0, 5)).as("the five least recently used").allMatch(Files::notExists);
        assertThat(others.subList(0, 5)).allMatch(other -> Files.notExists(other.resolveSibling(other.getFileName() + ".sha256")));
        assertThat(others.subList(5, others.size())).allMatch(Files::exists);
        assertThat(dead).doesNotExist();
        assertThat(writing).as("a training may still be writing it").exists();

        // A JVM that goes on starting children with an archive keeps marking it used.
        assertThat(sharing.useFlag(real)).contains(real.useFlag());
        Files.setLastModifiedTime(real.checksum(), FileTime.from(now.minus(Duration.ofHours(3))));
        assertThat(sharing.useFlag(real)).contains(real.useFlag());
        assertThat(Files.getLastModifiedTime(real.checksum()).toInstant()).isAfter(now.minus(Duration.ofMinutes(1)));

        // A checksum whose archive is gone (two trainings raced) is a leftover once old.
        Path orphan = Files.writeString(cds.resolve("gone.jsa.sha256"), "x");
        Files.setLastModifiedTime(orphan, FileTime.from(now.minus(Duration.ofHours(2))));
        sharing.prune();
        assertThat(orphan).doesNotExist();
        assertThat(real.checksum()).exists();

        // A JVM that checked an archive before another pruned it no longer names it, and may make it again.
        Files.delete(real.file());
        assertThat(sharing.useFlag(real)).isEmpty();
        assertThat(sharing.claimTraining(real)).isPresent();
    }

    /** Jars of the library's classes and of the test parent, so the children's class path qualifies. */
    private String jarClassPath() throws Exception {
        ToolProvider jarTool = ToolProvider.findFirst("jar").orElseThrow();
        Path classes = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(FamilyMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path core = dir.resolve("core.jar");
        Path parent = dir.resolve("parent.jar");
        assertThat(jarTool.run(System.out, System.err, "--create", "--file", core.toString(), "-C", classes.toString(), "."))
                .isZero();
        List<String> parentArgs = new ArrayList<>(List.of("--create", "--file", parent.toString()));
        try (Stream<Path> files = Files.list(testClasses.resolve("io/github/multiprocessing4j"))) {
            files.filter(f -> f.getFileName().toString().startsWith("FamilyMain")).forEach(f -> {
                parentArgs.add("-C");
                parentArgs.add(testClasses.toString());
                parentArgs.add(testClasses.relativize(f).toString());
            });
        }
        assertThat(jarTool.run(System.out, System.err, parentArgs.toArray(String[]::new))).isZero();
        return core + File.pathSeparator + parent;
    }

    private String runParent(String classPath, Path home, Path report) throws Exception {
        java.lang.Process parent = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                "-Duser.home=" + home, "-Dmultiprocessing4j.spares=0", "-cp", classPath, FamilyMain.class.getName(),
                "class-data-sharing", report.toString()).inheritIO().start();
        assertThat(parent.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).as("every child started and exited 0").isZero();
        return Files.readString(report);
    }

    @Test
    void aMissingArchiveIsMadeAndUsed_andADamagedOneIsReplacedWithoutAFailedStart() throws Exception {
        String classPath = jarClassPath();
        Path home = Files.createDirectory(dir.resolve("home"));
        Path report = dir.resolve("flag.txt");

        String flag = runParent(classPath, home, report);
        assertThat(flag).matches("-XX:(SharedArchiveFile|AOTCache)=.*");
        Path archive = Path.of(flag.substring(flag.indexOf('=') + 1));
        assertThat(archive).startsWith(home.resolve(".cache/multiprocessing4j/cds"));

        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 3)); // a JVM mapping this would crash

        assertThat(runParent(classPath, home, report)).isEqualTo(flag);
        assertThat(Files.size(archive)).as("made again").isGreaterThan(whole.length / 3);
    }
}
