/**
 * JSON printed the way Prettier prints it: objects expanded (as written), arrays of primitives on
 * one line when they fit, else one item per line; an array of two or more arrays or objects of
 * two or more entries each is always expanded.
 */
import { group, hardline, indent, join, line, softline, type Doc } from "./print/doc.js";
import { printDoc } from "./print/printer.js";

export function printJson(value: unknown): string {
  return `${printDoc(jsonDoc(value))}\n`;
}

function jsonDoc(value: unknown): Doc {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const nested = value.length > 1 && value.every((v) => v !== null && typeof v === "object" && Array.isArray(v) === Array.isArray(value[0]) && Object.keys(v).length > 1);
    return group(["[", indent([softline, join([",", line], value.map(jsonDoc))]), softline, "]"], { shouldBreak: nested });
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return ["{", indent([hardline, join([",", hardline], entries.map(([k, v]) => [JSON.stringify(k), ": ", jsonDoc(v)]))]), hardline, "}"];
  }
  return JSON.stringify(value) ?? "null";
}
