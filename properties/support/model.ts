/**
 * The one place that names what this side uses from the model, so a rename there is fixed here once.
 */
export { checkHistory, formatVerdictTable, serializeHistory, validateSetup, ConfigurationError, guaranteeCatalogue } from "../../model/index.js";
