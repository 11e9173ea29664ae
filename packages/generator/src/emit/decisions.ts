/** `decisions.ts`: what handlers return — events or a rejection — shared by every context. */
import type { GeneratedFile } from "../generated-file.js";
import type { GenModel } from "../lower/gen-model.js";
import { importLines } from "../lower/print-imports.js";
import { renderDecisions } from "./handler-templates.js";

/** Builds the model-wide `decisions.ts` (`RejectionReason`, `Decision`, `reject`, `isRejection`). */
export function emitDecisions(gen: GenModel): GeneratedFile[] {
  const m = gen.modules.decisions;
  return [{ path: m.path, content: renderDecisions({ header: m.header, imports: importLines(m.imports) }) }];
}
