#!/usr/bin/env bash
# Regenerates engine/group/assignors/test/java-assignments.json: builds the oracle (Maven, kafka-clients
# from Maven Central), generates the cases (the seeded generator in engine/group/assignors/test/
# java-cases.ts), runs Kafka's own assignors on them and writes each case with Java's answer.
# Needs Java 17+, Maven and the repository's node_modules. See README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
fixture="$root/engine/group/assignors/test/java-assignments.json"
work="$here/target"

mvn -q -B -f "$here/pom.xml" compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt"
classpath="$work/classes:$(cat "$work/classpath.txt")"
# The version of kafka-clients actually on the class path, as the library itself reports it.
kafka_version="$(java -cp "$classpath" harness.oracle.AssignorOracle --version 2> /dev/null)"

(cd "$root" && npx tsx engine/group/assignors/test/write-cases.ts) > "$work/cases.jsonl"
java -cp "$classpath" harness.oracle.AssignorOracle < "$work/cases.jsonl" > "$work/java.jsonl" 2> "$work/java.log"

errors="$(grep -c '"javaError"' "$work/java.jsonl" || true)"
node - "$work/java.jsonl" "$fixture" "$kafka_version" <<'NODE'
const { readFileSync, writeFileSync } = require("node:fs");
const [input, output, version] = process.argv.slice(2);
const lines = readFileSync(input, "utf8").split("\n").filter((line) => line.trim() !== "");
// One case per line, so a regenerated fixture diffs case by case.
const text = `{"kafkaClients":${JSON.stringify(version)},"cases":[\n${lines.join(",\n")}\n]}\n`;
JSON.parse(text);
writeFileSync(output, text);
console.log(`wrote ${lines.length} cases to ${output}`);
NODE
echo "cases Java refused (javaError): $errors"
