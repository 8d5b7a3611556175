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
# The young generation capped at 512 MB, on every runner: left to itself the parallel collector grew
# it to over 1 GB to collect less often, and each page of heap it touched for the first time cost the
# kernel a page fault (perf stat, campaign-analytics 1M on embedded Flink: 761,418 faults and 6.8 s of
# system CPU uncapped, 412,285 and 1.6 s capped). By hand, 1M records, in turn, job seconds: on embedded
# Flink campaign-analytics 17.4-19.8 -> 14.5-15.4 (256 MB 15.0-15.6, 128 MB 16.0-17.2, 1 GB 14.9-15.9),
# fraud-detection 16.3/14.9 -> 12.9/12.2, clickstream 12.4/11.4 -> 9.5/9.4 (peak RSS 2.7-2.8 GB -> 1.3-1.4
# GB); Spark local[2] clickstream 14.5/14.5 -> 12.4/12.5. The DirectRunner had it first: clickstream 1M
# peak RSS 2,987 -> 1,612 MB, job 15.3 -> 15.4 s (bench-2026-12-07T131121Z against 121010Z: 14.1 -> 16.6
# s at 2,808 -> 1,593 MB). The plain-Java campaign baseline gains nothing from it (G1 6.3-6.4 s, G1 capped
# 6.1-6.7 s, parallel capped 6.6-6.8 s), so the benchmark's baselines keep G1 as it comes.
# MILLRACE_JAVA_OPTS=-XX:MaxNewSize=... (later) wins.
MILLRACE_GC_OPTS+=(-XX:MaxNewSize=512m)
if [[ " ${MILLRACE_JAVA_OPTS:-} " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]+GC[[:space:]] ]]; then
  MILLRACE_GC_OPTS=()
fi
