/** The CLI's tables are the model's (model/table.ts): one formatter, one width rule. */
export { formatTable, tableWidth, wrap } from "../model/index.js";
