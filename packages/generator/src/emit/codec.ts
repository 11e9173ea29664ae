/**
 * `codec.ts`: the model-wide event codec. `deserialize(stored)` validates a stored event at its
 * version, upcasts it to the current version (hooks for `compute` rules), validates the result,
 * and fails with a typed `DeserializeError`. Also `redact(type, data)` for logs and traces.
 */
import type { Model } from "@eda/language";
import { docComment, identifier, propertyKey } from "../escape.js";
import type { GeneratedFile } from "../generate.js";
import { pad } from "../layout.js";
import { contextDir, header } from "../names.js";
import { contextSymbols } from "../symbols.js";
import { renderModule } from "../templates.js";
import { redactBlocks } from "./redact.js";
import { schemasAlias } from "./schemas.js";
import { contextsWithHooks, contextsWithUpcasts, hooksType, upcastFunction } from "./upcasters.js";

const upcastersAlias = (context: string): string => identifier(`${context}Upcasters`);

export function emitCodec(model: Model): GeneratedFile[] {
  const hooked = contextsWithHooks(model);
  const imports = [
    'import type { z } from "zod";',
    ...model.contexts
      .filter((c) => c.events.length > 0 || c.commands.length > 0)
      .map((c) => `import * as ${schemasAlias(c.name)} from "./${contextDir(c.name)}/schemas.js";`),
    ...contextsWithUpcasts(model).map((c) => `import * as ${upcastersAlias(c.name)} from "./${contextDir(c.name)}/upcasters.js";`),
  ];
  const blocks: string[][] = [unionBlock(model, "AnyEvent", "The events of the whole model, in their current versions."), unionBlock(model, "AnyCommand", "The commands of the whole model.")];
  blocks.push(hooksBlock(hooked.map((c) => c.name)));
  blocks.push(...errorBlocks());
  blocks.push(tableBlock(model, hooked.length > 0));
  blocks.push(...deserializeBlocks(hooked.length > 0));
  blocks.push(...redactBlocks(model));
  return [{ path: "codec.ts", content: renderModule({ header: header(model.files), imports, blocks }) }];
}

function unionBlock(model: Model, which: "AnyEvent" | "AnyCommand", doc: string): string[] {
  const members = model.contexts
    .filter((c) => (which === "AnyEvent" ? c.events.length : c.commands.length) > 0)
    .map((c) => `${schemasAlias(c.name)}.${which === "AnyEvent" ? contextSymbols(c).anyEvent : contextSymbols(c).anyCommand}`);
  const lines = docComment(doc);
  if (members.length === 0) lines.push(`export type ${which} = never;`);
  else if (`export type ${which} = ${members.join(" | ")};`.length <= 80) lines.push(`export type ${which} = ${members.join(" | ")};`);
  else if (`${pad(1)}${members.join(" | ")};`.length <= 80) lines.push(`export type ${which} =`, `${pad(1)}${members.join(" | ")};`);
  else lines.push(`export type ${which} =`, ...members.map((m, i) => `${pad(1)}| ${m}${i === members.length - 1 ? ";" : ""}`));
  return lines;
}

function hooksBlock(contexts: readonly string[]): string[] {
  const lines = docComment("The hand-written conversions the model's upcasts need, per context.");
  if (contexts.length === 0) return [...lines, "export type UpcastHooks = Record<string, never>;"];
  lines.push("export interface UpcastHooks {");
  for (const c of contexts) lines.push(`${pad(1)}readonly ${propertyKey(c)}: ${upcastersAlias(c)}.${hooksType(c)};`);
  lines.push("}");
  return lines;
}

function errorBlocks(): string[][] {
  return [
    [
      "/** Why a stored event could not be read. */",
      "export type DeserializeFailure =",
      '  "unknown-type" | "unknown-version" | "invalid-payload" | "invalid-upcast";',
    ],
    [
      "/** A stored event that cannot be read as its current version, with the event, version and field at fault. */",
      "export class DeserializeError extends Error {",
      '  override readonly name = "DeserializeError";',
      "  constructor(",
      "    readonly reason: DeserializeFailure,",
      "    readonly eventType: string,",
      "    readonly version: number,",
      "    /** The dotted path of the first invalid field, when a payload is invalid. */",
      "    readonly field: string | undefined,",
      "    readonly issues: readonly z.core.$ZodIssue[] = [],",
      "  ) {",
      "    super(describe(reason, eventType, version, field, issues));",
      "  }",
      "}",
    ],
    [
      "function describe(",
      "  reason: DeserializeFailure,",
      "  type: string,",
      "  version: number,",
      "  field: string | undefined,",
      "  issues: readonly z.core.$ZodIssue[],",
      "): string {",
      "  const at = `${type} v${version}`;",
      '  if (reason === "unknown-type") return `unknown event type "${type}"`;',
      '  if (reason === "unknown-version") return `${at}: unknown version`;',
      '  const where = field ? ` at "${field}"` : "";',
      '  const what = reason === "invalid-upcast" ? "upcast result" : "payload";',
      '  return `${at}: invalid ${what}${where}: ${issues[0]?.message ?? "invalid"}`;',
      "}",
    ],
  ];
}

function tableBlock(model: Model, hooked: boolean): string[] {
  const lines = [
    "interface VersionEntry {",
    "  readonly schema: z.ZodType;",
    `  readonly up?: (event: never${hooked ? ", hooks: UpcastHooks" : ""}) => unknown;`,
    "  readonly next?: number;",
    "}",
    "",
    "const EVENTS: Readonly<",
    "  Record<string, { current: number; versions: Record<number, VersionEntry> }>",
    "> = {",
  ];
  for (const c of model.contexts) {
    const sym = contextSymbols(c);
    for (const e of c.events) {
      lines.push(`${pad(1)}${propertyKey(e.name)}: {`, `${pad(2)}current: ${e.current.version},`, `${pad(2)}versions: {`);
      for (const v of e.versions) {
        const schema = `${schemasAlias(c.name)}.${sym.version(e, v.version)}`;
        const step = e.upcasts.find((u) => u.from === v.version);
        if (!step) {
          lines.push(`${pad(3)}${v.version}: { schema: ${schema} },`);
          continue;
        }
        const needs = step.plan.some((p) => p.kind === "compute");
        const fn = `${upcastersAlias(c.name)}.${upcastFunction(e, v.version)}`;
        const up = needs ? `(e, h) => ${fn}(e, h.${identifier(c.name)})` : fn;
        lines.push(`${pad(3)}${v.version}: {`, `${pad(4)}schema: ${schema},`, ...upLine(up), `${pad(4)}next: ${step.to},`, `${pad(3)}},`);
      }
      lines.push(`${pad(2)}},`, `${pad(1)}},`);
    }
  }
  lines.push("};");
  return lines;
}

function upLine(up: string): string[] {
  const one = `${pad(4)}up: ${up},`;
  if (one.length <= 80) return [one];
  const m = /^\(e, h\) => (.*)\(e, (.*)\)$/.exec(up);
  if (!m) return [one];
  return [`${pad(4)}up: (e, h) =>`, `${pad(5)}${m[1]}(e, ${m[2]}),`];
}

function deserializeBlocks(hooked: boolean): string[][] {
  return [
    [
      "/** A stored event as the event store returns it. */",
      "export interface StoredEventData {",
      "  readonly type: string;",
      "  readonly version: number;",
      "  readonly payload: unknown;",
      "}",
    ],
    [
      "function check(",
      "  schema: z.ZodType,",
      "  value: unknown,",
      "  reason: DeserializeFailure,",
      "  type: string,",
      "  version: number,",
      "): unknown {",
      "  const result = schema.safeParse(value);",
      "  if (result.success) return result.data;",
      "  const issue = result.error.issues[0];",
      '  const field = issue?.path.map(String).join(".") || undefined;',
      "  throw new DeserializeError(reason, type, version, field, result.error.issues);",
      "}",
    ],
    [
      ...docComment("Reads a stored event of any known version as its current version.", [
        "@throws DeserializeError for an unknown type or version, or an invalid payload.",
      ]),
      ...(hooked
        ? ["export function deserialize(", "  stored: StoredEventData,", "  hooks: UpcastHooks,", "): AnyEvent {"]
        : ["export function deserialize(stored: StoredEventData): AnyEvent {"]),
      "  const entry = EVENTS[stored.type];",
      "  if (!entry)",
      "    throw new DeserializeError(",
      '      "unknown-type",',
      "      stored.type,",
      "      stored.version,",
      "      undefined,",
      "    );",
      "  let version = stored.version;",
      "  let step = entry.versions[version];",
      "  if (!step)",
      "    throw new DeserializeError(",
      '      "unknown-version",',
      "      stored.type,",
      "      version,",
      "      undefined,",
      "    );",
      "  let data = check(",
      "    step.schema,",
      "    stored.payload,",
      '    "invalid-payload",',
      "    stored.type,",
      "    version,",
      "  );",
      "  if (version === entry.current) return { type: stored.type, data } as AnyEvent;",
      "  while (step?.up && step.next !== undefined) {",
      `    data = step.up(data as never${hooked ? ", hooks" : ""});`,
      "    version = step.next;",
      "    step = entry.versions[version];",
      "  }",
      "  const current = entry.versions[entry.current] as VersionEntry;",
      "  data = check(",
      "    current.schema,",
      "    data,",
      '    "invalid-upcast",',
      "    stored.type,",
      "    stored.version,",
      "  );",
      "  return { type: stored.type, data } as AnyEvent;",
      "}",
    ],
    [
      "/** The current version of an event type (for appends), or undefined for an unknown type. */",
      "export function currentVersion(type: string): number | undefined {",
      "  return EVENTS[type]?.current;",
      "}",
    ],
    [
      ...docComment("The codec the runtime uses: reads stored events, encodes new ones, redacts for logs."),
      `export function createCodec(${hooked ? "hooks: UpcastHooks" : ""}) {`,
      "  return {",
      "    deserialize(stored: StoredEventData): AnyEvent {",
      `      return deserialize(stored${hooked ? ", hooks" : ""});`,
      "    },",
      "    currentVersion(type: string): number {",
      "      const version = currentVersion(type);",
      "      if (version === undefined)",
      '        throw new DeserializeError("unknown-type", type, 0, undefined);',
      "      return version;",
      "    },",
      "    encode(event: AnyEvent): StoredEventData {",
      "      return {",
      "        type: event.type,",
      "        version: this.currentVersion(event.type),",
      "        payload: event.data,",
      "      };",
      "    },",
      "    redact,",
      "  };",
      "}",
    ],
  ];
}

