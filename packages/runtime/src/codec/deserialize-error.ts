/** Why a stored event could not be read as its current version, as an error and as data. */
import { formatPath, type ValidationIssue } from "./issues.js";

/**
 * Why a stored event could not be read:
 * - `unknown-type`, `unknown-version`: the model has no such event type or version;
 * - `invalid-json`: the stored payload or metadata is not JSON (written by hand);
 * - `invalid-payload`: the payload does not match the schema of its stored version;
 * - `upcast-failed`: an upcast (a `compute` hook) threw;
 * - `invalid-upcast`: the upcast result does not match the current version's schema.
 */
export type DeserializeFailure = "unknown-type" | "unknown-version" | "invalid-json" | "invalid-payload" | "upcast-failed" | "invalid-upcast";

/** Where a stored event sits, when the caller knows. */
export interface StoredLocation {
  readonly stream: string;
  readonly position: number;
  readonly globalPosition: number;
}

/**
 * A stored event that cannot be read as its current version: which event, which version, which field, why.
 * For `upcast-failed`, `options.causeMessage` is what the message quotes of the hook's error (the
 * codec gives it with the event's personal values masked); `cause` keeps the error itself.
 */
export class DeserializeError extends Error {
  override readonly name = "DeserializeError";
  /** The dotted path of the first invalid field, when a payload is invalid. */
  readonly field: string | undefined;

  constructor(
    readonly reason: DeserializeFailure,
    readonly eventType: string,
    readonly version: number,
    readonly issues: readonly ValidationIssue[] = [],
    readonly at: StoredLocation | undefined = undefined,
    options?: { cause?: unknown; causeMessage?: string },
  ) {
    super(describe(reason, eventType, version, issues, at, options?.causeMessage ?? causeText(options?.cause)), options?.cause === undefined ? undefined : { cause: options.cause });
    const first = issues[0];
    this.field = first === undefined || first.path.length === 0 ? undefined : first.path.map(String).join(".");
  }
}

function describe(
  reason: DeserializeFailure,
  type: string,
  version: number,
  issues: readonly ValidationIssue[],
  at: StoredLocation | undefined,
  cause: string,
): string {
  const where = at === undefined ? "" : `event ${at.position} of stream ${JSON.stringify(at.stream)} (global position ${at.globalPosition}), `;
  const what = `${where}${JSON.stringify(type)} v${version}`;
  const first = issues[0];
  const field = first === undefined || first.path.length === 0 ? "" : ` at ${formatPath(first.path)}`;
  switch (reason) {
    case "unknown-type":
      return `${what}: the model has no event type ${JSON.stringify(type)}`;
    case "unknown-version":
      return `${what}: the model has no version ${version} of this event`;
    case "invalid-json":
      return `${what}: the stored ${first?.path[0] === "metadata" ? "metadata" : "payload"} is not JSON`;
    case "upcast-failed":
      return `${what}: the upcast threw: ${cause}`;
    case "invalid-payload":
    case "invalid-upcast":
      return `${what}: invalid ${reason === "invalid-upcast" ? "upcast result" : "payload"}${field}: ${first?.message ?? "invalid"}`;
  }
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Whether `error` is a `DeserializeError` (also one from another copy of the runtime). */
export function isDeserializeError(error: unknown): error is DeserializeError {
  return error instanceof DeserializeError || (error instanceof Error && error.name === "DeserializeError" && "reason" in error);
}
