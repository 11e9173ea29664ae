/** `decisions.ts`: what handlers return — events or a rejection — shared by every context. */
import type { Model } from "@eda/language";
import type { GeneratedFile } from "../generated-file.js";
import { header } from "../names.js";
import { renderDecisions } from "./handler-templates.js";

/** Builds the model-wide `decisions.ts` (`RejectionReason`, `Decision`, `reject`, `isRejection`). */
export function emitDecisions(model: Model): GeneratedFile[] {
  return [{ path: "decisions.ts", content: renderDecisions({ header: header(model.files) }) }];
}
