/**
 * The reference model's public API. Other folders import from here only.
 */
export type * from "./history/event.js";
export { commitModes } from "./history/event.js";
export type * from "./verdict.js";
export { HistoryFormatError } from "./history/format-error.js";
export { parseHistory } from "./history/parse.js";
export { serializeHistory, serializeEvent } from "./history/serialize.js";
export { readHistory, writeHistory } from "./history/file.js";
export { validateHistory } from "./history/validate.js";
export { nemesisProcess, observerProcess, finalReaderProcess, finalCommittedReaderProcess, transactionFunctions, nemesisFunctions } from "./history/shape.js";
export { checkHistory, type CheckOptions } from "./checker/check.js";
export type { CheckerExtension, ExtensionPromise } from "./checker/extension.js";
export type { CheckerState } from "./checker/state.js";
export { HistoryBuilder, record, groupConsumer, type BuilderSetup, type Acknowledgement } from "./simulate/builder.js";
export type { GroupMember, OffsetsByPartition } from "./simulate/group-member.js";
export { simulateCorrectLog, type CorrectLogStep, type CorrectLogOptions, type SendOutcome } from "./simulate/correct-log.js";
export { ConfigurationError } from "./config/error.js";
export { validateConfiguration, validateSetup, validatePartitionChange, type Setup, type SetupTopic, type SetupClient } from "./config/validate.js";
export { defaults, defaultsKafkaVersion, keysByScope, type ConfigScope, type KeySpec } from "./config/keys.js";
export { effectiveProducer, effectiveTopic, effectiveConsumer, type EffectiveProducer, type EffectiveTopic, type EffectiveConsumer, type Acks } from "./config/effective.js";
export { promises, promiseTable, type GuaranteeConfiguration, type Promises, type PromiseEntry, type GuaranteePromise } from "./config/promises.js";
export { guaranteeCatalogue, catalogueEntry, type GuaranteeEntry, type GuaranteeFamily } from "./catalogue.js";
export { murmur2, toPositive, partitionForKey } from "./partitioner/murmur2.js";
export { formatVerdictTable, outcomeSentences } from "./format.js";
export { formatTable, tableWidth, wrap } from "./table.js";
export { closestName, didYouMean } from "./config/closest.js";
export { formatTime } from "./checker/fault-timeline.js";
export { promisesTableMarkdown, type PromisePreset } from "./config/promises-table.js";
export { coordinatorPartitionFor, javaStringHashCode } from "./partitioner/coordinator.js";
