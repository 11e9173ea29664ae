/** The catalogue's codes of evolution (EDA7xxx): the model compared with a baseline (`compareModels`, `eda check --against`). */
import type { CodeInfo } from "./info.js";

export const EVOLUTION_CODES = {
  EDA7001: { name: "stored-field-removed", severity: "error", stage: "evolution" },
  EDA7002: { name: "stored-field-renamed", severity: "error", stage: "evolution" },
  EDA7003: { name: "stored-field-retyped", severity: "error", stage: "evolution" },
  EDA7004: { name: "stored-field-required", severity: "error", stage: "evolution" },
  EDA7005: { name: "stored-constraint-tightened", severity: "error", stage: "evolution" },
  EDA7006: { name: "stored-enum-member-removed", severity: "error", stage: "evolution" },
  EDA7007: { name: "stored-default-changed", severity: "error", stage: "evolution" },
  EDA7008: { name: "stored-version-removed", severity: "error", stage: "evolution" },
  EDA7009: { name: "stored-event-removed", severity: "error", stage: "evolution" },
  EDA7010: { name: "stored-schema-changed", severity: "error", stage: "evolution" },
  EDA7101: { name: "command-breaking-change", severity: "warning", stage: "evolution" },
  EDA7201: { name: "projection-rebuild", severity: "notice", stage: "evolution" },
  EDA7301: { name: "workflow-steps-changed", severity: "warning", stage: "evolution" },
} as const satisfies Record<string, CodeInfo>;
