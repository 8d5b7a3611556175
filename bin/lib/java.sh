# Sourced by bin/millrace and bin/millrace-bench: the Java versions Millrace runs on, in one place.
# Java 17 or newer; the Flink runner (Flink 1.19) up to Java 21 only: on newer Java it fails
# ("getSubject is not supported") and hangs.
MILLRACE_JAVA_MIN=17
MILLRACE_JAVA_MAX_FLINK=21

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java

# require_java PROGRAM [flink]: sets java_major, or prints why $java_bin will not do and exits 2.
require_java() {
  local program=$1 runner=${2:-} version
  version=
  if command -v "$java_bin" >/dev/null; then
    version=$("$java_bin" -version 2>&1 | head -1) || true
  fi
  java_major=$(sed -nE 's/.*version "([0-9]+).*/\1/p' <<<"$version")
  if [[ -z $java_major || $java_major -lt $MILLRACE_JAVA_MIN ]]; then
    echo "$program: Java $MILLRACE_JAVA_MIN or newer is needed (found: ${version:-no $java_bin})" >&2
    exit 2
  fi
  if [[ $runner == flink && $java_major -gt $MILLRACE_JAVA_MAX_FLINK ]]; then
    echo "$program: the Flink runner needs Java $MILLRACE_JAVA_MIN to $MILLRACE_JAVA_MAX_FLINK (found $java_major);" \
      "set JAVA_HOME to a Java $MILLRACE_JAVA_MIN" >&2
    exit 2
  fi
}
