#!/usr/bin/env bash
# jcstress budget A/B: the same `stresslab run --tool jcstress` at 20 and 100 ms/test, alternated, each beside a
# one-core busy loop (standing in for the build's other test JVM).
set -u
cd "$(git rev-parse --show-toplevel)"
out=stress/results/jcstress-budget-ab-2026-12-03
mkdir -p "$out"
for round in 1 2; do
  for t in 20 100; do
    ( while :; do :; done ) & busy=$!
    start=$(date +%s.%N)
    STRESSLAB_JAVA_OPTS="-Dstresslab.jcstress.time=$t" ./stresslab run --tool jcstress --seed $((1300 + round)) \
      --out "$out/time-$t-round-$round" > "$out/time-$t-round-$round.log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    kill $busy; wait $busy 2>/dev/null
    echo "time=$t round=$round exit=$rc wall=$(echo "$end - $start" | bc) reruns=$(grep -c 'rerun with a longer budget' "$out/time-$t-round-$round.log")" | tee -a "$out/summary.txt"
  done
done
