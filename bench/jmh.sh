#!/usr/bin/env bash
# Runs the JMH benchmarks of bench/ (HotPathBenchmarks); extra arguments go to JMH, e.g. -f 1 -wi 3 -i 5.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl bench -am package -DskipTests
java="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/java"
exec "$java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main "$@"
