#!/bin/bash
# KAGENT-1's Lincheck hold under different JVM flags, alternated; "hog" runs beside a one-core busy loop.
# Usage (from the checkout): bash stress/results/lincheck-flags-2026-12-03/run.sh OUTDIR
out="$1"; mkdir -p "$out"
run() { # name, hog (0/1), flags
  local name="$1" hog="$2" flags="$3" pid=""
  [ "$hog" = 1 ] && { bash -c 'while :; do :; done' & pid=$!; }
  { echo "== $name: STRESSLAB_JAVA_OPTS='$flags' hog=$hog"
    STRESSLAB_JAVA_OPTS="$flags" /usr/bin/time -f "wall %e s, user %U s, sys %S s" \
      ./stresslab run --scenario KAGENT-1 --tool lincheck --out "$out/$name" 2>&1 | grep -E 'lincheck  |wall '
  } >> "$out/log.txt" 2>&1
  [ -n "$pid" ] && kill "$pid"
}
for round in 1 2; do
  run "idle-default-$round" 0 ""
  run "idle-cpus1-$round" 0 "-XX:ActiveProcessorCount=1"
  run "idle-notiered-$round" 0 "-XX:-TieredCompilation"
  run "idle-c1only-$round" 0 "-XX:TieredStopAtLevel=1"
  run "hog-default-$round" 1 ""
  run "hog-cpus1-$round" 1 "-XX:ActiveProcessorCount=1"
done
