/**
 * The Model: every reference resolved, every event's versions ordered with its upcast chain.
 * Generators and the checker read only this. Nodes keep spans for diagnostics; references point
 * at the node they name (the graph may have cycles: a type may refer to itself).
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { BuiltinType } from "../syntax/tokens.js";

export type TypeRefModel =
  | { readonly kind: "scalar"; readonly name: BuiltinType }
  | { readonly kind: "list"; readonly element: TypeRefModel }
  | { readonly kind: "map"; readonly value: TypeRefModel }
  | { readonly kind: "type"; readonly decl: TypeModel }
  | { readonly kind: "enum"; readonly decl: EnumModel }
  /** A reference that could not be resolved (already reported). */
  | { readonly kind: "unresolved"; readonly text: string };

export type Value =
  | { readonly kind: "number"; readonly value: number; readonly text: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "emptyList" }
  /** `{}`: an empty map, or a value type built from its fields' defaults. */
  | { readonly kind: "emptyObject" }
  | { readonly kind: "duration"; readonly ms: number; readonly text: string }
  | { readonly kind: "enumMember"; readonly decl: EnumModel; readonly member: string };

export interface Constraints {
  readonly min?: number;
  readonly max?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface FieldModel {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeRefModel;
  readonly defaultValue?: Value;
  readonly constraints: Constraints;
  readonly pii: boolean;
  /** `@pii(subject)`: the field of the same message naming the data subject whose key encrypts this one. */
  readonly piiSubject?: string;
  /** Where `@pii(subject)` is written. */
  readonly piiSpan?: Span;
  /** The reason given by `@deprecated`, if deprecated. */
  readonly deprecated?: string;
  readonly doc?: string;
  readonly span: Span;
  readonly typeSpan: Span;
}

interface Named {
  readonly name: string;
  /** `Context.Name` */
  readonly qualifiedName: string;
  readonly context: string;
  readonly doc?: string;
  readonly span: Span;
  /** The span of the name itself. */
  readonly nameSpan: Span;
}

export interface TypeModel extends Named {
  readonly kind: "type";
  readonly fields: readonly FieldModel[];
}

export interface EnumModel extends Named {
  readonly kind: "enum";
  readonly members: readonly { readonly name: string; readonly doc?: string; readonly span: Span }[];
}

export interface CommandModel extends Named {
  readonly kind: "command";
  readonly fields: readonly FieldModel[];
  /** The aggregate or service that handles it (absent when none does — an error). */
  handler?: HandlerModel;
}

export interface EventVersionModel {
  readonly version: number;
  readonly fields: readonly FieldModel[];
  readonly doc?: string;
  readonly span: Span;
  /** The span of `event Name vN`. */
  readonly headerSpan: Span;
  /** Upcasts that take this version to the current one, in order (empty for the current). */
  readonly upcastPath: readonly UpcastModel[];
}

export interface EventModel extends Named {
  readonly kind: "event";
  /** Versions in ascending order; the last is current. */
  readonly versions: readonly EventVersionModel[];
  readonly current: EventVersionModel;
  readonly upcasts: readonly UpcastModel[];
  /** Handlers that may emit it. */
  readonly emittedBy: HandlerModel[];
}

export type UpcastFieldPlan =
  | { readonly kind: "carry"; readonly field: string }
  | { readonly kind: "default"; readonly field: string; readonly value: Value }
  | { readonly kind: "rename"; readonly field: string; readonly from: string }
  /**
   * A hook the user supplies (`= compute`). `invalid`: no valid rule fills the field (none
   * written, or a default that does not fit), reported already (EDA3003, or the literal's own
   * error); the plan stands in for it so that checks go on.
   */
  | { readonly kind: "compute"; readonly field: string; readonly invalid?: true }
  /** An optional field of the new version that nothing fills. */
  | { readonly kind: "unset"; readonly field: string }
  /** A field of the new version with a declared default and no rule. */
  | { readonly kind: "fieldDefault"; readonly field: string; readonly value: Value };

export interface UpcastModel {
  readonly event: EventModel;
  readonly from: number;
  readonly to: number;
  /** One entry per field of the target version, in its field order. */
  readonly plan: readonly UpcastFieldPlan[];
  readonly doc?: string;
  readonly span: Span;
  /** The span of `upcast Name vA -> vB`. */
  readonly headerSpan: Span;
}

/** A reason an aggregate or service declares for refusing a command (`rejections { … }`). */
export interface RejectionModel {
  readonly name: string;
  readonly fields: readonly FieldModel[];
  readonly span: Span;
}

export interface HandlerModel {
  readonly command: CommandModel;
  readonly emits: readonly EventModel[];
  /** `rejects A | B`: the reasons this handler may refuse its command with (empty: undeclared). */
  readonly rejects: readonly RejectionModel[];
  readonly owner: AggregateModel | ServiceModel;
  readonly span: Span;
  readonly commandSpan: Span;
  readonly emitSpans: readonly Span[];
}

/** One variant of a variant state: its name (the value of the `status` tag) and its own fields. */
export interface StateVariantModel {
  readonly name: string;
  readonly span: Span;
  readonly fields: readonly FieldModel[];
}

export interface AggregateModel extends Named {
  readonly kind: "aggregate";
  readonly stream?: { readonly field: string; readonly span: Span };
  /** The fields of a `state { … }` record; empty for a variant state. */
  readonly state: readonly FieldModel[];
  /** `state A | B { … }`: the variants, the first one the initial state; absent for a record state. */
  readonly variants?: readonly StateVariantModel[];
  readonly handlers: readonly HandlerModel[];
  readonly rejections: readonly RejectionModel[];
  readonly snapshotEvery?: number;
  readonly snapshotSpan?: Span;
}

export interface ServiceModel extends Named {
  readonly kind: "service";
  readonly handlers: readonly HandlerModel[];
  readonly rejections: readonly RejectionModel[];
}

export interface ProjectionModel extends Named {
  readonly kind: "projection";
  readonly key?: FieldModel;
  readonly fields: readonly FieldModel[];
  readonly from: readonly { readonly event: EventModel; readonly span: Span }[];
}

/** Where a command field's value comes from. */
export type FieldSource =
  | { readonly kind: "trigger"; readonly field: string }
  | { readonly kind: "event"; readonly event: EventModel; readonly field: string }
  | { readonly kind: "literal"; readonly value: Value }
  /** A typed hook the user supplies (`field = compute`). */
  | { readonly kind: "hook" }
  /** An optional field, or one with a default, that nothing maps. */
  | { readonly kind: "unset" };

export interface SendModel {
  readonly command: CommandModel;
  readonly fields: readonly { readonly field: string; readonly source: FieldSource; readonly explicit: boolean; readonly span?: Span }[];
  readonly span: Span;
}

export interface StepModel {
  readonly name: string;
  readonly send?: SendModel;
  readonly await?: EventModel;
  readonly failOn?: EventModel;
  readonly compensate?: SendModel;
  /** `compensate always`: registered before the step, so it also runs when the step itself fails or times out. */
  readonly compensateAlways?: boolean;
  readonly retry?: { readonly count: number; readonly everyMs: number; readonly span: Span };
  readonly doc?: string;
  readonly span: Span;
  readonly nameSpan: Span;
  readonly awaitSpan?: Span;
  readonly failOnSpan?: Span;
}

export interface ReactionModel {
  readonly event: EventModel;
  readonly send?: SendModel;
  readonly doc?: string;
  readonly span: Span;
}

export interface WorkflowModel extends Named {
  readonly kind: "workflow";
  readonly mode: "orchestrated" | "choreographed";
  readonly start?: EventModel;
  readonly startSpan?: Span;
  readonly correlate?: { readonly field: string; readonly span: Span };
  readonly timeoutMs?: number;
  readonly steps: readonly StepModel[];
  readonly onComplete?: SendModel;
  readonly onFail?: SendModel;
  readonly reactions: readonly ReactionModel[];
}

export type DeclarationModel = TypeModel | EnumModel | CommandModel | EventModel | AggregateModel | ServiceModel | ProjectionModel | WorkflowModel;

export interface ContextModel {
  readonly name: string;
  /** Where the context is named: the `context` line of the first of its files. */
  readonly nameSpan: Span;
  readonly doc?: string;
  readonly files: readonly string[];
  readonly types: readonly TypeModel[];
  readonly enums: readonly EnumModel[];
  readonly commands: readonly CommandModel[];
  readonly events: readonly EventModel[];
  readonly aggregates: readonly AggregateModel[];
  readonly services: readonly ServiceModel[];
  readonly projections: readonly ProjectionModel[];
  readonly workflows: readonly WorkflowModel[];
}

export interface Model {
  /** Contexts sorted by name. */
  readonly contexts: readonly ContextModel[];
  /** Source file paths, in the order given. */
  readonly files: readonly string[];
}
