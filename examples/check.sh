#!/usr/bin/env bash
# Builds the examples against the installed stresslab artifacts (run `./mvnw install -DskipTests` first) and checks
# what a team would see: the correct implementations pass every check of their contracts; the deliberately wrong ones
# fail, and their failures carry the evidence (the violated obligation and what showed it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mvn=(../mvnw -B -ntp -f pom.xml)
log="target/examples.log"
reports=target/surefire-reports
mkdir -p target

# One run of all four conformance tests in two test JVMs (every check owns its database or schema, as in the main
# build); failing tests do not stop it, each class's verdict is read from its surefire report below.
echo "examples: the four conformance tests (correct implementations must pass, wrong ones must fail)"
"${mvn[@]}" -q clean test -DforkCount=2 -Dmaven.test.failure.ignore=true >"$log" 2>&1 || {
  tail -60 "$log"; echo "examples: the build itself failed"; exit 1; }

# failures + errors of one test class, or "missing" when it did not run
failed() {
  local xml="$reports/TEST-com.example.$1.xml"
  [ -f "$xml" ] || { echo missing; return; }
  local head tests failures errors
  head=$(grep -m1 -o '<testsuite [^>]*>' "$xml")
  tests=$(grep -o ' tests="[0-9]*"' <<<"$head" | tr -dc 0-9)
  failures=$(grep -o ' failures="[0-9]*"' <<<"$head" | tr -dc 0-9)
  errors=$(grep -o ' errors="[0-9]*"' <<<"$head" | tr -dc 0-9)
  if [ "${tests:-0}" -eq 0 ]; then echo missing; else echo $(( failures + errors )); fi
}

for test in TimestampGateConformanceTest LockingRefreshConformanceTest; do
  n=$(failed "$test")
  [ "$n" = 0 ] || { tail -60 "$log"; echo "examples: a correct implementation FAILED its contract ($test: $n)"; exit 1; }
done
for test in CheckThenActGateConformanceTest UnlockedRefreshConformanceTest; do
  n=$(failed "$test")
  [ "$n" != missing ] && [ "$n" -gt 0 ] || {
    tail -60 "$log"; echo "examples: the wrong implementation PASSED: the kit missed it ($test: $n)"; exit 1; }
done
for needle in "CheckThenActGate" "UnlockedRefresh" "obligation: " "expected held but was violated"; do
  grep -rqF -- "$needle" "$reports" || { echo "examples: no '$needle' in the failures"; tail -60 "$log"; exit 1; }
done
grep -rhoE "mutant|user:com\.example\.[A-Za-z]+[^\"]*violated[^\"]{0,120}" "$reports" | head -3 || true
records=$(ls target/stresslab-results/*.json | wc -l)
echo "examples: passed as expected (correct ones held, wrong ones failed with evidence); $records records in target/stresslab-results"
