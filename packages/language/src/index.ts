/**
 * @eda/language — the pure front end of eda: source texts in, a resolved Model and diagnostics out.
 * No file system, no console: callers pass file names and texts.
 */
export * from "./diagnostics/codes/index.js";
export type { MessageTemplate, MessageValue, MessageData } from "./diagnostics/message.js";
export * from "./diagnostics/diagnostic.js";
export * from "./diagnostics/source.js";
export * from "./diagnostics/render.js";
export { KEYWORDS, DECLARATION_KEYWORDS, CLAUSE_KEYWORDS, LITERAL_KEYWORDS, BUILTIN_TYPES, BUILTIN_GENERICS, DECORATORS } from "./syntax/tokens.js";
export { compile, compileParsed, compileInSteps, type CompileOptions, type CompileResult } from "./compile.js";
export { createParser, parseFile, FileParser, type ParsedFile } from "./syntax/parse-file.js";
export type * from "./resolve/model.js";
export type * from "./ast/nodes.js";
export { typeText, sameType, assignable } from "./resolve/types.js";
export { valueText } from "./resolve/values.js";
export { DECIMAL } from "./resolve/values.js";
export { kebab, contextFolder, RESERVED_WORDS } from "./output-names.js";
export { formatSource, type FormatResult } from "./format/format.js";
export { describeModel, summarizeModel } from "./resolve/describe.js";
export { ModelIndex, fieldListsOf, type Occurrence } from "./query/model-index.js";
export { contextKey, declarationKey, fieldKey, type SymbolInfo } from "./query/symbol.js";
export { closest, editDistance } from "./resolve/suggest.js";
export { compareModels, type CompareOptions } from "./evolution/compare.js";
export { compareWithRegistry, readRegistry, REGISTRY_FORMAT, type RegistryRecord } from "./evolution/registry.js";
