#!/usr/bin/env bash
# Re-measures the linearizability checker (docs/checker.md, "Timings"):
#   1. CheckerTimings (in-JVM, 2 warm-ups + 5 timed runs per workload) -> stress/results/checker-timings.txt
#   2. `stresslab check` end to end (a fresh JVM per run: start-up + reading the file + checking), 3 runs per file
#      -> stress/results/checker-cli-timings.txt
# Run from the repository root on a machine that is otherwise idle; the files record the load average.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -ntp -pl stress -am test -Dtest=CheckerTimings -Dsurefire.failIfNoSpecifiedTests=false \
  -Dstresslab.checker.timings="$PWD/stress/results/checker-timings.txt" >/dev/null
./mvnw -q -B -ntp -pl stress -am package -DskipTests >/dev/null
data=stress/target/checker-histories
out=stress/results/checker-cli-timings.txt
{
  echo "# stresslab check end to end: java -jar stress/target/stresslab.jar check FILE --model M --threads 2"
  echo "# (fresh JVM each run: start-up + read + validate + check); 3 runs each: wall time, CPU time (user + sys, all"
  echo "# threads) and max RSS. On a shared, loaded machine the wall time includes waiting for a core: compare CPU."
  echo "# date $(date -u +%FT%TZ); $(java -version 2>&1 | head -1); $(nproc) processors; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for spec in "register-100k-2000keys.jsonl cas-register --initial \"0\"" \
              "register-10k-1key-c5.jsonl cas-register --initial \"0\"" \
              "hard-6keys-plus-1-failing.jsonl cas-register" \
              "hard-6keys.jsonl cas-register --budget 10s" \
              "hard-6keys.jsonl cas-register --budget 120s --max-memory 64"; do
    # shellcheck disable=SC2086
    set -- $spec
    file=$1; model=$2; shift 2
    extra=("$@")
    for i in 1 2 3; do
      start=$(date +%s.%N)
      set +e
      /usr/bin/time -f "%M %U %S" -o /tmp/stresslab-rss java -jar stress/target/stresslab.jar check "$data/$file" \
        --model "$model" --threads 2 "${extra[@]}" >/tmp/stresslab-check.out 2>&1
      code=$?
      set -e
      end=$(date +%s.%N)
      read -r rss user sys < <(tail -1 /tmp/stresslab-rss)
      printf '%-32s %-42s run %d: %6.2f s wall, %6.2f s CPU, max RSS %4d MB, exit %s: %s\n' "$file" \
        "--model $model ${extra[*]}" "$i" "$(awk "BEGIN{print $end - $start}")" "$(awk "BEGIN{print $user + $sys}")" \
        "$((rss / 1024))" "$code" \
        "$(head -1 /tmp/stresslab-check.out | sed 's/^[^:]*: //')"
    done
  done
  echo "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out"
cat stress/results/checker-timings.txt "$out"
