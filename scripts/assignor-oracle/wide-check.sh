#!/usr/bin/env bash
# A wider sweep than the committed fixture: SEED and COUNT random cases (default 1 and 20000) through
# Kafka's Java assignors and ours, compared case by case; nothing is written to the repository.
# Usage: bash scripts/assignor-oracle/wide-check.sh [SEED] [COUNT]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/target"
seed="${1:-1}"
count="${2:-20000}"

mvn -q -B -f "$here/pom.xml" compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt"
classpath="$work/classes:$(cat "$work/classpath.txt")"
(cd "$root" && npx tsx engine/group/assignors/test/write-cases.ts --wide "$seed" "$count") > "$work/wide-cases.jsonl"
java -cp "$classpath" harness.oracle.AssignorOracle < "$work/wide-cases.jsonl" > "$work/wide-java.jsonl" 2> "$work/java.log"
(cd "$root" && npx tsx engine/group/assignors/test/compare-java.ts) < "$work/wide-java.jsonl"
