#!/usr/bin/env bash
# Builds the examples against the installed stresslab artifacts (run `./mvnw install -DskipTests` first) and checks
# what a team would see: the correct implementations pass every check of their contracts; the deliberately wrong ones
# fail, and their failures carry the evidence (the violated obligation and what showed it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mvn=(../mvnw -B -ntp -f pom.xml)
log="target/examples.log"
mkdir -p target

echo "examples: correct implementations (must pass)"
"${mvn[@]}" -q clean test -Dtest='TimestampGateConformanceTest,LockingRefreshConformanceTest' >"$log" 2>&1 || {
  tail -60 "$log"; echo "examples: a correct implementation FAILED its contract"; exit 1; }

echo "examples: deliberately wrong implementations (must fail, with evidence)"
if "${mvn[@]}" -q test -Dtest='CheckThenActGateConformanceTest,UnlockedRefreshConformanceTest' >"$log" 2>&1; then
  echo "examples: the wrong implementations PASSED: the kit missed them"; exit 1
fi
reports=target/surefire-reports
for needle in "CheckThenActGate" "UnlockedRefresh" "obligation: " "expected held but was violated"; do
  grep -rqF -- "$needle" "$reports" || { echo "examples: no '$needle' in the failures"; tail -60 "$log"; exit 1; }
done
grep -rhoE "mutant|user:com\.example\.[A-Za-z]+[^\"]*violated[^\"]{0,120}" "$reports" | head -3 || true
records=$(ls target/stresslab-results/*.json | wc -l)
echo "examples: passed as expected (correct ones held, wrong ones failed with evidence); $records records in target/stresslab-results"
