import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "runs/**", "dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // The engine must be deterministic: time and randomness come from the simulation only.
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use the simulation's seeded random source." },
      ],
    },
  },
  {
    files: ["engine/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use the simulation's seeded random source." },
        { object: "Date", property: "now", message: "Use the simulated clock." },
        { object: "performance", property: "now", message: "Use the simulated clock." },
      ],
      "no-restricted-globals": ["error", "setTimeout", "setInterval", "setImmediate"],
    },
  },
);
