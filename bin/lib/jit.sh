# Sourced by bin/millrace and bin/millrace-bench: the JIT options a Flink job's JVM starts with, in one place.
# On 2 cores the JIT compilers take about half of a 1M-event Flink job's CPU (JFR: 14,539 compilations,
# 26.1 s of compiler time in a run of 49 s CPU), most of it C2 compiling Beam's and Flink's deep call chains
# inlined into methods of 30-60 KB. Smaller inlining compiles less: clickstream-analytics on embedded Flink,
# 1M events, 13.0 s against 20.3-20.8 s, and at 40,000 events/s streaming it kept up with a p99 window
# latency of 2.7 s (6.6 s without). The benchmark gives its baselines (plain Java, native Flink) the same options.
MILLRACE_FLINK_JIT_OPTS=(-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000)
