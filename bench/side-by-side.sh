#!/usr/bin/env bash
# Runs our benchmarks and CPython's multiprocessing equivalents on this machine, in one run, and prints
# the medians side by side. Usage: bench/side-by-side.sh [runs]   (default 30)
# Uses Debian's /usr/bin/python3 when present (it starts faster than a pyenv build), else python3.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"

./mvnw -B -q -pl bench -am package -DskipTests
# The jars, as an application would have them: a JVM archives (class-data sharing) only jar class paths,
# so with target/classes directories children would start without the archive users get.
jar_of() { ls "$1"/target/multiprocessing4j-"$1"-*.jar | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-tests\.jar$'; }
classpath="$(jar_of bench):$(jar_of core)"
java="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/java"

python=""
if [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; elif command -v python3 >/dev/null; then python=python3; fi

echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
echo "# java: $("$java" -version 2>&1 | head -n 1)"
[ -n "$python" ] && echo "# python: $python $("$python" --version 2>&1)"

"$java" -cp "$classpath" io.github.multiprocessing4j.bench.ProcessStartBenchmark "$runs"
if [ -n "$python" ]; then "$python" bench/python/process_start.py "$runs"; fi

"$java" -cp "$classpath" io.github.multiprocessing4j.bench.PoolBenchmark
if [ -n "$python" ]; then "$python" bench/python/pool_bench.py spawn fork forkserver; fi

"$java" -cp "$classpath" io.github.multiprocessing4j.bench.SharingBenchmark
if [ -n "$python" ]; then "$python" bench/python/sharing_bench.py spawn fork; fi

"$java" -cp "$classpath" io.github.multiprocessing4j.bench.SyncCallsBenchmark
if [ -n "$python" ]; then "$python" bench/python/sync_calls_bench.py spawn fork; fi

[ -n "$python" ] || echo "# no python3 found: CPython side skipped"
