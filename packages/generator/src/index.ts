/**
 * @eda/generator — a resolved Model in, TypeScript out. Pure: returns files, writes nothing.
 */
export { generate, generateFiles, type GeneratedFile, type GenerateOptions, type GenerateResult } from "./generate.js";
export { TEMPLATE_KINDS, type FileView, type TemplateKind } from "./render/file-view.js";
export type * from "./render/view-data.js";
export type * from "./render/shapes.js";
export type { AddedTemplate, TemplateFunction, TemplateProblem, UserTemplate, UserTemplates } from "./render/user-templates.js";
export * from "./lower/index.js";
export { OPERATIONS_DEFAULTS, type ConsumerThresholds, type OperationsConfig } from "./emit/operations-view.js";
export { HEADER_PREFIX } from "./names.js";
export { SCHEMAS_PRAGMA } from "./lower/context-modules.js";
export { scaffold, upcastHookModules, type UpcastHookModule } from "./emit/scaffolds.js";
export type { ScaffoldContainer, ScaffoldFile, ScaffoldMember, ScaffoldOptions } from "./scaffold-types.js";
export { registryEntries, registryManifest, type RegistryEntry } from "./emit/registry.js";
export { REGISTRY_PATH } from "./lower/names.js";
export { operationsNames } from "./lower/operations.js";
export { seeded, synthesizeCorpus, type CorpusFixture, type SynthProblem } from "./corpus/synth.js";
export { replacePersonalData } from "./corpus/personal-data.js";
