/** `npm run docs`: rewrites docs/guarantees.md from the code (see guarantee-document.ts). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { guaranteeDocument } from "./guarantee-document.js";

const path = fileURLToPath(new URL("./guarantees.md", import.meta.url));
writeFileSync(path, guaranteeDocument());
console.log(`wrote ${path}`);
