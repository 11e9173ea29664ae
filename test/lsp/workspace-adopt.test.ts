/**
 * The workspace's projects found above open documents (`findProjectOf`), without a server: a
 * config adopted for a document is dropped once a later look-up finds that it no longer selects it.
 */
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { Workspace, type FoundProjects, type WorkspaceHost } from "../../packages/lsp/src/workspace.js";

const CONFIG = "/p/eda.config.json";
const DOC = "/p/sub/a.eda";

function above(files: string[]): FoundProjects {
  return { projects: [{ root: "/p", configFile: CONFIG, files }], configs: [{ file: CONFIG, text: "{}", problems: [] }] };
}

it("drops an adopted config that a later look-up finds no longer selects the document", async () => {
  let selected = [DOC];
  const host: WorkspaceHost = {
    findProjects: async () => ({ projects: [], configs: [] }),
    findProjectOf: async () => above(selected),
    readFile: async () => "",
  };
  const workspace = new Workspace(host);
  await workspace.load(new Map());
  workspace.update(pathToFileURL(DOC).href, "context A {}\n", 1);
  await workspace.adopt(await workspace.findProjectsOf([DOC]));
  expect(workspace.adoptedConfigs()).toEqual([CONFIG]);
  expect(workspace.isStray(DOC)).toBe(false);

  selected = [];
  await workspace.adopt(await workspace.findProjectsOf(workspace.outsideSearch()));
  expect(workspace.isStray(DOC)).toBe(true);
  expect(workspace.adoptedConfigs()).toEqual([]);
});
