/** The checker: every rule over the resolved Model. Name and type rules run during resolution. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Model } from "../resolve/model.js";
import { checkAggregates } from "./aggregates.js";
import { checkConventions } from "./conventions.js";
import { checkEmptyObjectDefaults } from "./defaults.js";
import { checkHandlers } from "./handlers.js";
import { checkMessageNames, checkRecursiveTypes, checkReservedNames } from "./names.js";
import { checkContextFolders, checkDeclarationFiles, checkFileNameLengths } from "./outputs.js";
import { checkPersonalData } from "./personal-data.js";
import { checkPiiSubjects } from "./pii-subject.js";
import { checkWorkflows } from "./workflows.js";

export function check(model: Model, out: Diagnostic[]): void {
  checkReservedNames(model, out);
  checkRecursiveTypes(model, out);
  checkEmptyObjectDefaults(model, out);
  checkMessageNames(model, out);
  checkContextFolders(model, out);
  checkDeclarationFiles(model, out);
  checkFileNameLengths(model, out);
  checkHandlers(model, out);
  checkAggregates(model, out);
  checkPersonalData(model, out);
  checkPiiSubjects(model, out);
  checkWorkflows(model, out);
  checkConventions(model, out);
}
