import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configJsonSchema, validateConfig } from "../src/config-schema.js";

describe("the shipped JSON Schema of eda.config.json", () => {
  it("is the one the Zod schema produces (run `pnpm --filter @eda/cli schema` after changing it)", () => {
    const committed = readFileSync(new URL("../schema/eda.config.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(configJsonSchema());
  });

  it("rejects unknown keys and requires model, as the Zod schema does", () => {
    const schema = JSON.parse(configJsonSchema()) as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(["model"]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe("validateConfig", () => {
  it("accepts a glob or a list of globs with the optional folders", () => {
    expect(validateConfig({ model: "m/*.eda" })).toEqual({ ok: true, config: { model: "m/*.eda" } });
    const full = { $schema: "s.json", model: ["a/*.eda", "b/*.eda"], out: "gen", handlers: "src/handlers" };
    expect(validateConfig(full)).toEqual({ ok: true, config: full });
  });

  it("locates the problems of list items and unknown keys", () => {
    expect(validateConfig({ model: ["ok", 3], extra: 1, more: 2 })).toEqual({
      ok: false,
      problems: [
        { path: ["model", 1], message: "must be a glob", wrongType: true },
        { path: [], message: "unknown key", unknownKeys: ["extra", "more"] },
      ],
    });
  });
});
