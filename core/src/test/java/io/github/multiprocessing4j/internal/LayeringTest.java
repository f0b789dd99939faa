package io.github.multiprocessing4j.internal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The internal packages form layers, each using only those below it (docs/architecture.md draws them):
 * <pre>
 *   pool
 *   worker
 *   launch   hub
 *   shm      codec
 *            wire
 *   runtime
 * </pre>
 * The public package sits on top and may use everything; internals may use the public package's value and
 * exception types. Cycles between internal packages, and threads or shutdown hooks made outside
 * {@code internal.runtime}, would make the exit order and the start-up path hard to reason about again.
 */
class LayeringTest {
    private static final String ROOT = "io.github.multiprocessing4j";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void theRulesSeeTheLibrary() {
        assertThat(CLASSES.contain(ROOT + ".internal.pool.PoolCore")).isTrue();
        assertThat(CLASSES.contain(ROOT + ".Pool")).isTrue();
    }

    @Test
    void internalPackagesHaveNoCycles() {
        slices().matching(ROOT + ".internal.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void eachInternalLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("runtime").definedBy(ROOT + ".internal.runtime..")
                .layer("wire").definedBy(ROOT + ".internal.wire..")
                .layer("codec").definedBy(ROOT + ".internal.codec..")
                .layer("shm").definedBy(ROOT + ".internal.shm..")
                .layer("hub").definedBy(ROOT + ".internal.hub..")
                .layer("launch").definedBy(ROOT + ".internal.launch..")
                .layer("worker").definedBy(ROOT + ".internal.worker..")
                .layer("pool").definedBy(ROOT + ".internal.pool..")
                .whereLayer("runtime").mayNotAccessAnyLayer()
                .whereLayer("wire").mayOnlyAccessLayers("runtime")
                .whereLayer("codec").mayOnlyAccessLayers("runtime", "wire")
                .whereLayer("shm").mayOnlyAccessLayers("runtime")
                .whereLayer("hub").mayOnlyAccessLayers("runtime", "wire", "codec", "shm")
                .whereLayer("launch").mayOnlyAccessLayers("runtime", "wire", "codec", "shm")
                .whereLayer("worker").mayOnlyAccessLayers("runtime", "wire", "codec", "shm", "hub", "launch")
                .whereLayer("pool").mayOnlyAccessLayers("runtime", "wire", "codec", "launch", "worker")
                .check(CLASSES);
    }

    @Test
    void onlyTheRuntimePackageAddsShutdownHooks() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".internal.runtime..")
                .should().callMethod(Runtime.class, "addShutdownHook", Thread.class)
                .because("the steps of a JVM's exit run in one order, from ExitSequence")
                .check(CLASSES);
    }

    @Test
    void onlyTheRuntimePackageMakesThreads() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".internal.runtime..")
                .should().callConstructor(Thread.class, Runnable.class, String.class)
                .orShould().callConstructor(Thread.class, ThreadGroup.class, Runnable.class, String.class, long.class,
                        boolean.class)
                .orShould().callConstructor(Thread.class, Runnable.class)
                .because("library threads come from LibraryThreads: daemon, inheriting nothing from their creator")
                .check(CLASSES);
    }
}
