#!/usr/bin/env bash
# Corpus-pass throughput on the demo, three ways in one JVM, interleaved round by round (the order rotates):
# single process (the loop of lumen extract), Spark local[1] and Spark local[2] (docs/scale-out.md).
# Prints each run with the load average at its end, then medians with the min–max spread.
# Usage: scripts/bench-spark.sh [tokens] [rounds]   (default: 8000 tokens of the demo corpus, 3 rounds)
# Builds the spark module (package, never install) when its classes are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tokens=${1:-8000}
rounds=${2:-3}
if [ ! -f spark/target/lumen-spark.classpath ] || [ ! -d spark/target/classes/dev/lumen/spark ]; then
  ./mvnw -B -q -pl spark -am package -DskipTests
fi
# Spark on Java 17 reaches into JDK internals: the flags of the spark module's pom (lumen.spark.jvmArgs)
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
  java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dai.djl.offline=true --add-modules jdk.incubator.vector $opens -Djdk.reflect.useDirectMethodHandle=false \
  -Dio.netty.tryReflectionSetAccessible=true ${LUMEN_JAVA_OPTS:-} \
  -cp "spark/target/classes:$(cat spark/target/lumen-spark.classpath)" dev.lumen.spark.PassBenchmark \
  demo/models/tinystories-1m/model.bin demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024 \
  demo/corpus/tinystories.txt "$tokens" "$rounds" 64 2> >(grep -vE " (INFO|WARN) |^WARNING: Using incubator" >&2)
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
