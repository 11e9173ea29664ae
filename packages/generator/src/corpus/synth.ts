/**
 * Synthesized samples of every event version, for `eda corpus synth`: payloads that satisfy
 * their version's schema (types, constraints, patterns, enums, nested types), deterministic for
 * a seed, varied across samples (optional fields present or not, list lengths, bounds). Pure.
 */
import type { Constraints, FieldModel, Model, TypeRefModel } from "@eda/language";
import { samplePattern, type Random } from "./regex-sample.js";

/** The samples of one event version. */
export interface CorpusFixture {
  readonly context: string;
  readonly type: string;
  readonly version: number;
  readonly samples: readonly unknown[];
}

/** A field no value could be made for (a pattern beyond the sampler): named, never guessed. */
export interface SynthProblem {
  readonly type: string;
  readonly version: number;
  readonly field: string;
  readonly reason: string;
}

/** Nested types deeper than this get only their required fields and the fewest list items. */
const MAX_DEPTH = 4;

/** `count` samples of every event version of the model. */
export function synthesizeCorpus(model: Model, options: { readonly seed: number; readonly count: number }): { fixtures: CorpusFixture[]; problems: SynthProblem[] } {
  const fixtures: CorpusFixture[] = [];
  const problems: SynthProblem[] = [];
  for (const c of model.contexts) {
    for (const e of c.events) {
      for (const v of e.versions) {
        const random = seeded(options.seed, `${e.name}@${v.version}`);
        const samples: unknown[] = [];
        const failed = new Set<string>();
        for (let i = 0; i < options.count; i++) {
          const make = new Maker(random, (field, reason) => {
            if (!failed.has(field)) problems.push({ type: e.name, version: v.version, field, reason });
            failed.add(field);
          });
          samples.push(make.object(v.fields, "", 0));
        }
        if (failed.size === 0) fixtures.push({ context: c.name, type: e.name, version: v.version, samples });
      }
    }
  }
  return { fixtures, problems };
}

/** A deterministic generator (mulberry32) seeded by the seed and a name. */
export function seeded(seed: number, name: string): Random {
  let state = seed >>> 0;
  for (let i = 0; i < name.length; i++) state = Math.imul(state ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

export class Maker {
  constructor(
    private readonly random: Random,
    private readonly fail: (field: string, reason: string) => void,
  ) {}

  object(fields: readonly FieldModel[], prefix: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const skippable = f.optional || f.defaultValue !== undefined;
      if (skippable && (depth >= MAX_DEPTH || this.random(2) === 0)) continue;
      out[f.name] = this.value(f.type, f.constraints, `${prefix}${f.name}`, depth);
    }
    return out;
  }

  private between(min: number, max: number): number {
    return max <= min ? min : min + this.random(max - min + 1);
  }

  value(t: TypeRefModel, c: Constraints, path: string, depth: number): unknown {
    switch (t.kind) {
      case "scalar":
        return this.scalar(t.name, c, path);
      case "enum":
        return (t.decl.members[this.random(t.decl.members.length)] as { name: string }).name;
      case "type":
        return this.object(t.decl.fields, `${path}.`, depth + 1);
      case "list": {
        const min = c.minItems ?? 0;
        const max = Math.min(c.maxItems ?? min + 3, depth >= MAX_DEPTH ? min : min + 3);
        return Array.from({ length: this.between(min, max) }, (_, i) => this.value(t.element, {}, `${path}.${i}`, depth + 1));
      }
      case "map":
        return Object.fromEntries(Array.from({ length: depth >= MAX_DEPTH ? 0 : this.random(3) }, (_, i) => [`k${i}`, this.value(t.value, {}, `${path}.k${i}`, depth + 1)]));
      case "unresolved":
        return null;
    }
  }

  private scalar(name: string, c: Constraints, path: string): unknown {
    const n = this.random(100_000);
    switch (name) {
      case "string":
        return this.string(c, path);
      case "email":
        return `user${n}@example.com`;
      case "url":
        return `https://example.com/${n}`;
      case "uuid":
        return this.uuid();
      case "int":
      case "duration": {
        const min = Math.ceil(c.min ?? (name === "duration" ? 0 : -1000));
        const max = Math.floor(c.max ?? min + 10_000);
        return this.between(min, Math.max(min, max));
      }
      case "float": {
        const min = c.min ?? -1000;
        const max = c.max ?? min + 10_000;
        return min + ((max - min) * this.random(1001)) / 1000;
      }
      case "decimal": {
        const min = Math.ceil(c.min ?? 0);
        const max = Math.floor(c.max ?? min + 10_000);
        return `${this.between(min, Math.max(min, max))}`;
      }
      case "bool":
        return this.random(2) === 1;
      case "timestamp":
        return new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      case "date":
        return new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      case "json":
        return { sample: n };
      default:
        return null;
    }
  }

  private string(c: Constraints, path: string): string {
    const min = c.minLength ?? 1;
    const max = c.maxLength ?? Math.max(min, 12);
    if (c.pattern !== undefined) {
      const text = samplePattern(c.pattern, this.random, max, min);
      if (text === undefined) this.fail(path, `no string of ${min}–${max} characters matching /${c.pattern}/ could be made`);
      return text ?? "";
    }
    return Array.from({ length: this.between(min, Math.min(max, min + 12)) }, () => LETTERS[this.random(LETTERS.length)]).join("");
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => "0123456789abcdef"[this.random(16)]);
    hex[12] = "4";
    hex[16] = "89ab"[this.random(4)] as string;
    const h = hex.join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
