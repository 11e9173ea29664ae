/** `decisions.ts`: what handlers return — events or a rejection — shared by every context. */
import type { GenModel } from "../lower/gen-model.js";
import { moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";

/** The model-wide `decisions.ts` (`RejectionReason`, `Decision`, `reject`, `isRejection`): all in its template. */
export function emitDecisions(gen: GenModel): FileView[] {
  return [fileView("decisions", gen.modules.decisions.path, moduleHead(gen.modules.decisions))];
}
