# Sourced by bin/millrace: the garbage collector a job's JVM starts with, in one place.
# The parallel collector, not G1 (the JVM's default here): its write barriers and young collections cost
# a batch job less CPU, and on 2 cores that is job time. 1M records on embedded Flink, in turn:
# fraud-detection 12.8/12.9 s against 14.5/14.7 s with G1 (CPU 25 s against 28 s), campaign-analytics
# 14.1/14.4 s against 15.7 s; on the DirectRunner it keeps about half the heap (clickstream 1M in the
# benchmark: 2,869 MB against 4,765 MB, 13.7 s against 12.7 s). A collector chosen in MILLRACE_JAVA_OPTS
# wins (the JVM refuses two): MILLRACE_JAVA_OPTS=-XX:+UseG1GC gives back G1, whose pauses stay shorter
# in a long streaming run.
# The benchmark's plain-Java baselines keep G1: they run faster with it (fraud 5.2-5.5 s against
# 5.6-5.7 s, campaign 5.6 s against 6.0 s).
MILLRACE_GC_OPTS=(-XX:+UseParallelGC)
# The DirectRunner's jobs (and the CLI's other commands, which run from its jar) with the young
# generation capped at 512 MB: left to itself the parallel collector grew it to over 1 GB to collect
# less often, most of a job's footprint. By hand, in turn: clickstream 1M peak RSS 2,987 -> 1,612 MB, job
# 15.3 -> 15.4 s; 5M 4,384 MB in 65.6 s (5,932 MB, 60.4 s in the benchmark's run before); fraud-detection
# 1M 3,628 -> 2,171 MB, 25.5 -> 29.6 s; in the benchmark (bench-2026-12-07T131121Z against 121010Z)
# clickstream 1M 14.1 -> 16.6 s at 2,808 -> 1,593 MB. MILLRACE_JAVA_OPTS=-XX:MaxNewSize=... (later) wins.
if [[ ${runner:-direct} == direct ]]; then
  MILLRACE_GC_OPTS+=(-XX:MaxNewSize=512m)
fi
if [[ " ${MILLRACE_JAVA_OPTS:-} " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]+GC[[:space:]] ]]; then
  MILLRACE_GC_OPTS=()
fi
