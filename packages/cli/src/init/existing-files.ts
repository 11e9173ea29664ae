/**
 * The files `eda init --existing` adds to a project: eda.config.json and, all in one folder of
 * eda's own (`src/eda`, or `eda` without a `src`), the starter model, its handlers and their
 * module. Not the new project's package.json, tsconfig.json, .gitignore, main or test: those the
 * project has its own of (its test runner may not be node:test).
 */
import { edaConfig, json, projectFiles } from "./project.js";
import type { Template } from "./choices.js";
import type { ProjectFile } from "./project-file.js";

/** The folder eda's code goes to in a project that has (or not) a `src` folder. */
export function codeDirFor(hasSrc: boolean): string {
  return hasSrc ? "src/eda" : "eda";
}

/** eda's files for a project whose eda code goes to `codeDir`, using eda packages of version `version`. */
export function existingProjectFiles(version: string, template: Template, codeDir: string): ProjectFile[] {
  // The handlers and their module keep the places they have beside the generated code in a new
  // project (`../../generated/…`, `./handlers/…`), so their texts are the new project's.
  const moved = projectFiles("app", version, template).flatMap((file) => {
    const path = relocate(file.path, codeDir);
    return path === undefined ? [] : [{ path, text: file.text }];
  });
  return [{ path: "eda.config.json", text: json(edaConfig(`${codeDir}/model`, codeDir)) }, ...moved];
}

function relocate(path: string, codeDir: string): string | undefined {
  if (path.startsWith("model/")) return `${codeDir}/${path}`;
  if (path.startsWith("src/handlers/") || path === "src/implementation.ts") return `${codeDir}/${path.slice("src/".length)}`;
  return undefined;
}
