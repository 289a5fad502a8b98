import { defineConfig } from "vitest/config";

// The Kafka suite (properties/kafka/**) needs Docker and is run by `npm run test:kafka`; `npm test`
// stays on the model and the engine so it runs anywhere in a few minutes.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "runs/**", "**/*.kafka.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
