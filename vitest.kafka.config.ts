import { defineConfig } from "vitest/config";

// The real-Kafka suite: files named *.kafka.test.ts, which `npm test` excludes. They need a Docker engine
// (scripts/docker/ensure-docker.sh) and the Kafka image (scripts/kafka-image/build.sh, or KAFKA_IMAGE).
// One file at a time: every file starts containers, and two clusters at once starve a small machine.
export default defineConfig({
  test: {
    include: ["**/*.kafka.test.ts"],
    exclude: ["node_modules/**", "runs/**"],
    // Child processes (not worker threads): signal handlers for emergency teardown need a real process.
    pool: "forks",
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: "true" },
  },
});
