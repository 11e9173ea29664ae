/**
 * @eda/generator — a resolved Model in, TypeScript out. Pure: returns files, writes nothing.
 */
export { generate, type GeneratedFile } from "./generate.js";
export type { GenerateOptions } from "./options.js";
export { HEADER_PREFIX } from "./names.js";
export { scaffold, upcastHookModules, type UpcastHookModule } from "./emit/scaffolds.js";
export type { ScaffoldContainer, ScaffoldFile, ScaffoldMember, ScaffoldOptions } from "./scaffold-types.js";
