/**
 * `@eda/runtime/codec`: the model codec without the stores, so that generated schemas, codecs
 * and test helpers load it without the database drivers. The main entry re-exports it.
 */
export * from "./assertions.js";
export * from "./codec.js";
export * from "./deserialize-error.js";
export * from "./issues.js";
export { maskedError, maskValues, personalValues, personalValuesOf, type Redactor } from "./personal-values.js";
export { REDACTED, redactWith } from "./redact.js";
export { StoredInfoUnavailableError, type StoredEventInfo, type StoredFact } from "./stored-info.js";
export * from "./table.js";
export { isUnparsableJson, unparsableJson, type UnparsableJson } from "./unparsable.js";
