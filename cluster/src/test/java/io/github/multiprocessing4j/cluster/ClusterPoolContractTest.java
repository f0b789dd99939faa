package io.github.multiprocessing4j.cluster;

import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.contract.PoolContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The core pool contract, the same test code, on slots of the shared three-member cluster. */
@ExtendWith(SharedCluster.Holder.class)
class ClusterPoolContractTest extends PoolContract {
    @Override
    protected Pool.Builder builder() {
        return SharedCluster.current().cluster.poolBuilder();
    }
}
