package io.github.multiprocessing4j.contract;

import io.github.multiprocessing4j.Pool;

/** The pool contract on worker JVMs that are children of this one. */
class LocalPoolContractTest extends PoolContract {
    @Override
    protected Pool.Builder builder() {
        return Pool.builder();
    }
}
