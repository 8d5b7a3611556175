# Sourced by bin/millrace and bin/millrace-bench: the JIT options a job's JVM starts with, in one place.
# On 2 cores the JIT compilers take about half of a 1M-event job's CPU (JFR, clickstream on embedded Flink:
# 14,539 compilations, 26.1 s of compiler time in a run of 49 s CPU), most of it C2 compiling Beam's and
# the runners' deep call chains inlined into methods of 30-60 KB. Smaller inlining compiles less; 1M
# clickstream events, in turn: embedded Flink 13.0 s against 20.3-20.8 s (at 40,000 events/s streaming it
# kept up with a p99 window latency of 2.7 s, 6.6 s without), DirectRunner 15.9/16.0 s against 22.4/20.6 s,
# Spark local[2] 15.2/13.6 s against 17.4 s. The benchmark gives its baselines (plain Java, native Flink)
# the same options, so a ratio compares code, not JVM settings.
MILLRACE_JIT_OPTS=(-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000)
