# Sourced by bin/millrace: class-data sharing for a runner jar's JVM, in one place.
# Loading and verifying a fat jar's ~16,000 classes is seconds of every job's start (clickstream-analytics
# on embedded Flink, 1M events, job time: 23.0-23.3 s without an archive, 20.3-20.5 s with one). The first job
# (run, demo) of each build of a jar dumps the classes it loaded into an archive beside the jar, named
# as the tests' JobJvm names it (JAR-<mtime ms>-<bytes>.jsa, so the two share it); later runs map it. A
# stale or unreadable archive is ignored by the JVM (-Xshare:auto), so this changes how fast a job
# starts, never what it does. MILLRACE_CDS=off turns it off.

# class_data_sharing JAR COMMAND [ARGS...]: sets cds_flags (JVM options) and cds_dump (the file the JVM writes at
# exit, to be renamed to cds_archive once it has ended; empty when nothing is dumped).
class_data_sharing() {
  local jar=$1 command=${2:-}
  cds_flags=() cds_dump= cds_archive=
  [[ ${MILLRACE_CDS:-on} == off || ! -f $jar ]] && return 0
  cds_archive="$jar-$(date -r "$jar" +%s%3N)-$(stat -c %s "$jar").jsa"
  # CDS logs a line per class it cannot archive, on standard output.
  local quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)
  if [[ -s $cds_archive ]]; then
    cds_flags=("${quiet[@]}" "-XX:SharedArchiveFile=$cds_archive")
  elif [[ ($command == run || $command == demo) && " ${*:3} " != *" --help "* && " ${*:3} " != *" --dry-run"* ]]; then
    # A name of its own per process: two first runs at once must not write one file.
    cds_dump="$cds_archive.$$.tmp"
    cds_flags=("${quiet[@]}" "-XX:ArchiveClassesAtExit=$cds_dump")
  fi
}

# cds_dump_failed: the dumping run did not end well (a job that failed at once loads few classes): no archive.
cds_dump_failed() {
  [[ -n $cds_dump ]] && rm -f "$cds_dump"
  return 0
}

# keep_class_data_archive: after a dumping run, puts its archive in place and drops older builds' ones.
keep_class_data_archive() {
  [[ -z $cds_dump ]] && return 0
  if [[ -s $cds_dump ]]; then
    local old
    for old in "${cds_archive%-*-*.jsa}"-*.jsa; do
      [[ -f $old && $old != "$cds_archive" ]] && rm -f "$old"
    done
    mv -f "$cds_dump" "$cds_archive"
  else
    rm -f "$cds_dump"
  fi
}
