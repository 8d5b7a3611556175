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
if [[ " ${MILLRACE_JAVA_OPTS:-} " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]+GC[[:space:]] ]]; then
  MILLRACE_GC_OPTS=()
fi
