/** The shop's model in a project of its own with a SQLite store in its config, generated: for the store commands' tests. */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { CodecTable } from "@eda/runtime";
import { ROOT, runEda } from "./helpers.js";

const SHOP = join(ROOT, "examples", "shop");

/** Copies the shop's `.eda` files into `project` (config store `sqlite:store/shop.db`), runs `eda generate`, and returns the generated codec table. */
export async function generatedShopWithStore(project: string): Promise<CodecTable> {
  mkdirSync(join(project, "store"), { recursive: true });
  for (const f of readdirSync(SHOP).filter((f) => f.endsWith(".eda"))) copyFileSync(join(SHOP, f), join(project, f));
  writeFileSync(join(project, "eda.config.json"), JSON.stringify({ model: "*.eda", out: "generated", handlers: "handlers", store: "sqlite:store/shop.db" }));
  const generated = await runEda(["generate"], project);
  expect(generated.code, generated.stderr).toBe(0);
  return ((await import(join(project, "generated", "codec.ts"))) as { codecTable: CodecTable }).codecTable;
}
