#!/usr/bin/env node
// The installed command: load TypeScript through tsx's ESM hooks, then run the CLI.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
