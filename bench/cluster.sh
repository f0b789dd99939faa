#!/usr/bin/env bash
# Runs ClusterBenchmark: round trip and map items/s on a local Pool(2) and on LocalCluster pools of 1, 2 and
# 3 members, in one run. Usage: bench/cluster.sh [runs]   (default 5). Starts up to 3 member JVMs (and their
# workers) on 127.0.0.1; every one is killed by pid when its step ends.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
./mvnw -B -q -pl bench -am package -DskipTests
java="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/java"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
echo "# java: $("$java" -version 2>&1 | head -n 1)"
exec "$java" -Dhazelcast.logging.type=none -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
    io.github.multiprocessing4j.bench.ClusterBenchmark "$runs"
