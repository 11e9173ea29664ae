/**
 * The schema of `eda.config.json`, in Zod 4's tree-shakable `zod/mini` form: bundled, it loads in
 * ~3 ms where the classic API costs ~22 ms. It is also the source of the shipped JSON Schema
 * (`schema/eda.config.schema.json`, written by `scripts/write-schema.mjs`). The CLI imports this
 * module only when it reads a config.
 */
import * as z from "zod/mini";

/** File names cannot hold NUL: said here, with the key's place, rather than by Node's path check. */
const noNul = () => z.regex(/^[^\u0000]*$/, "must not hold a NUL character (\\u0000)");

const glob = z.string({ error: "must be a glob" }).check(z.minLength(1, "must not be empty"), noNul());

const folder = (what: string) =>
  z.optional(
    z
      .string({ error: `must be the path of ${what}` })
      .check(z.minLength(1, "must not be empty"), noNul(), z.meta({ description: `The folder of ${what}, relative to this file.` })),
  );

const threshold = (description: string) =>
  z.optional(z.number({ error: "must be a number" }).check(z.gte(0, "must not be negative"), z.meta({ description })));

/**
 * A duration as Prometheus parses it (`model.ParseDuration`): units from the largest to the
 * smallest, each at most once — `1s1m` and `5m5m` are refused by promtool.
 */
const PROM_DURATION = /^(?=\d)(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_NS = [31_536_000_000_000_000n, 604_800_000_000_000n, 86_400_000_000_000n, 3_600_000_000_000n, 60_000_000_000n, 1_000_000_000n, 1_000_000n];

/** The nanoseconds of a duration PROM_DURATION matches, or undefined. */
function durationNs(text: string): bigint | undefined {
  const m = PROM_DURATION.exec(text);
  return m === null ? undefined : UNIT_NS.reduce((sum, ns, i) => sum + BigInt(m[i + 1] ?? "0") * ns, 0n);
}

/** Prometheus holds a duration in an int64 of nanoseconds: about 292 years. */
const MAX_DURATION_NS = (1n << 63n) - 1n;

const duration = (description: string, { positive = false } = {}) =>
  z.optional(
    z
      .string({ error: "must be a Prometheus duration" })
      .check(
        z.regex(PROM_DURATION, 'must be a Prometheus duration such as "30s", "5m" or "1h30m" (units from the largest to the smallest, each once: y, w, d, h, m, s, ms)'),
        z.refine((text) => (durationNs(text) ?? 0n) <= MAX_DURATION_NS, "must be a Prometheus duration of at most 292 years (Prometheus refuses longer ones)"),
        z.refine((text) => !positive || durationNs(text) !== 0n, "must be longer than 0: a rate needs a window"),
        z.meta({ description }),
      ),
  );

const consumerThresholds = {
  lagSeconds: threshold("p95 consumption lag in seconds above which EdaConsumptionLagOverSla fires (default 60)."),
  errorRatio: threshold("Share of failed handler attempts above which EdaConsumerErrorRate fires (default 0.05)."),
  deadLetterDepth: threshold("Dead-letter queue depth above which EdaDeadLetterQueueAccumulating fires (default 0)."),
};

const byName = <T extends z.core.SomeType>(value: T, description: string) => z.optional(z.record(z.string(), value).check(z.meta({ description })));

/** Alert thresholds of the generated `operations/prometheus-alerts.yml`. */
const operations = z.optional(
  z
    .strictObject({
      for: duration("How long a condition must hold before its alert fires (default 5m)."),
      window: duration("The rate window of the rules (default 5m).", { positive: true }),
      ...consumerThresholds,
      projectionLagSeconds: threshold("Projection lag in seconds above which EdaProjectionLagOverSla fires (default 60)."),
      publishRateDropRatio: threshold("EdaPublishRateAnomaly fires when the publish rate falls below this share of the rate an hour before (default 0.5)."),
      workflowTimeouts: threshold("Timed-out runs per window above which EdaWorkflowTimeouts fires (default 0)."),
      projections: byName(z.strictObject({ lagSeconds: threshold("Projection lag in seconds for this projection.") }), "Per projection, by qualified name (Context.Projection)."),
      consumers: byName(z.strictObject(consumerThresholds), "Per choreography consumer, by name (Workflow.rule)."),
      workflows: byName(z.strictObject({ timeouts: threshold("Timed-out runs per window for this workflow.") }), "Per orchestrated workflow, by name."),
    })
    .check(z.meta({ description: "Thresholds of the generated Prometheus alerts; each has a sane default." })),
);

/** The config file's shape. Unknown keys are errors, so that a misspelt key cannot go unnoticed. */
export const configSchema = z
  .strictObject(
    {
      $schema: z.optional(
        z.string({ error: "must be a string" }).check(z.meta({ description: "The JSON Schema of this file, for editors." })),
      ),
      model: z
        .union([glob, z.array(glob).check(z.minLength(1, "must name at least one glob"))], {
          error: (issue) =>
            issue.input === undefined
              ? 'is required: the globs of the model files, e.g. "model/**/*.eda"'
              : "must be a glob or a list of globs",
        })
        .check(
          z.meta({
            description: "Glob or globs of the .eda model files, relative to this file.",
            examples: ["model/**/*.eda", ["model/*.eda", "shared/*.eda"]],
          }),
        ),
      out: folder("the generated code"),
      handlers: folder("the handler scaffolds"),
      templates: z.optional(
        z.string({ error: "must be the path of a folder" }).check(
          z.minLength(1, "must not be empty"),
          noNul(),
          z.meta({
            description:
              "A folder of Handlebars templates, relative to this file: <kind>.hbs replaces the generated file of that kind (app.hbs, schemas.hbs, …; {{> builtIn}} is the built-in template), <path>.<ext>.hbs adds a file to the output, context/<path>.<ext>.hbs one per context, partials/<name>.hbs is the partial {{> name}}. Templates receive the GenModel as `model` (see @eda/generator's README).",
            examples: ["templates"],
          }),
        ),
      ),
      implementation: z.optional(
        z
          .string({ error: "must be the path of a module" })
          .check(
            z.minLength(1, "must not be empty"),
            noNul(),
            z.meta({
              description:
                'The module exporting "implementation" (the object given to the generated createApp), relative to this file: the handlers `eda projections rebuild` uses when --implementation names none.',
              examples: ["src/implementation.ts"],
            }),
          ),
      ),
      store: z.optional(
        z
          .string({ error: "must be a store URL" })
          .check(
            z.minLength(1, "must not be empty"),
            z.meta({
              description:
                "The event store `eda store verify` reads when neither --store nor EDA_STORE names one: sqlite:<file> (relative to this file), postgres://…. Keep passwords out of it: EDA_STORE is the place for them.",
              examples: ["sqlite:./eda.db", "postgres://app@db.internal/shop"],
            }),
          ),
      ),
      evolution: z.optional(
        z
          .strictObject(
            {
              against: z.optional(
                z
                  .string({ error: "must be a git revision, a folder or a manifest file" })
                  .check(
                    z.minLength(1, "must not be empty"),
                    z.meta({
                      description:
                        "The baseline `eda check` compares the model with when it runs on the configured model without --against: a git revision, a folder holding an earlier model, or a registry manifest (relative to the working folder).",
                      examples: ["origin/main", "deployed/registry.json"],
                    }),
                  ),
              ),
              commands: z.optional(
                z
                  .enum(["warning", "error"], { error: 'must be "warning" or "error"' })
                  .check(z.meta({ description: "The severity of commands' breaking changes (EDA7101). Default: warning." })),
              ),
            },
            { error: "must be an object" },
          )
          .check(z.meta({ description: "The evolution gate of `eda check --against`." })),
      ),
      operations,
      brandedScalars: z.optional(
        z.boolean({ error: "must be true or false" }).check(
          z.meta({
            description:
              "Give uuid, timestamp, date, email and decimal fields branded types in the generated code, so a plain string does not pass for one; the generated support.ts has a parsing constructor for each (timestamp(value), uuid(value), …). Default false.",
          }),
        ),
      ),
    },
    { error: (issue) => (issue.code === "invalid_type" ? "must be a JSON object" : undefined) },
  )
  .check(z.meta({ title: "eda configuration", description: "Configuration of the eda command (eda.config.json)." }));

/** A valid config, as written. */
export type ConfigInput = z.output<typeof configSchema>;

/** The keys a config may have, in the schema's order. */
export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.shape);

/** The JSON Schema of the config, as committed to `schema/eda.config.schema.json`. */
export function configJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(configSchema), null, 2)}\n`;
}

/** One problem of a config: where (`["model", 1]`, or `[]` for the whole file) and what. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly unknownKeys?: readonly string[];
  /** The value has the wrong type (as opposed to, say, being empty). */
  readonly wrongType?: boolean;
}

/** Validates a parsed JSON value; problems come in the order Zod finds them. */
export function validateConfig(
  value: unknown,
): { readonly ok: true; readonly config: ConfigInput } | { readonly ok: false; readonly problems: ConfigProblem[] } {
  const result = configSchema.safeParse(value);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: result.error.issues.flatMap((issue) => problemsOf(issue, [])) };
}

function problemsOf(issue: z.core.$ZodIssue, prefix: readonly (string | number)[]): ConfigProblem[] {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))];
  if (issue.code === "unrecognized_keys") return [{ path, message: "unknown key", unknownKeys: issue.keys }];
  if (issue.code === "invalid_union") {
    // When the value has the shape of one alternative (a list) but its items are wrong, the
    // useful message is the item's, not "must be a glob or a list of globs".
    const inner = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    if (inner) return inner.flatMap((i) => problemsOf(i, path));
  }
  const wrongType = issue.code === "invalid_type" || issue.code === "invalid_union";
  return [{ path, message: issue.message, ...(wrongType ? { wrongType } : {}) }];
}
