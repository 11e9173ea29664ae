/**
 * The AST: mirrors the text, names things by name, every node carries its span. Produced by the
 * parser in one pass (embedded actions), consumed by the resolver and the formatter.
 */
import type { Span } from "../diagnostics/diagnostic.js";

export interface Ident {
  readonly kind: "Ident";
  readonly name: string;
  readonly span: Span;
}

/** `Name` or `Context.Name` (or a longer dotted path where the grammar allows one). */
export interface Path {
  readonly kind: "Path";
  readonly parts: readonly Ident[];
  readonly span: Span;
}

export interface Doc {
  readonly text: string;
  readonly span: Span;
}

export type TypeRef = NamedTypeRef | ListTypeRef;

/** A named type, optionally with type arguments (`map<string, T>`). */
export interface NamedTypeRef {
  readonly kind: "NamedTypeRef";
  readonly name: Path;
  readonly args: readonly TypeRef[];
  readonly span: Span;
}

export interface ListTypeRef {
  readonly kind: "ListTypeRef";
  readonly element: TypeRef;
  readonly span: Span;
}

export type LiteralValue =
  | { readonly type: "number"; readonly value: number; readonly text: string }
  | { readonly type: "string"; readonly value: string; readonly text: string }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "emptyList" }
  /** `{}`: an empty map, or a value type whose fields all take their defaults. */
  | { readonly type: "emptyObject" }
  | { readonly type: "duration"; readonly ms: number; readonly text: string }
  /** A bare name: an enum member (`Placed`, `OrderStatus.Placed`) or, in mappings, a field path. */
  | { readonly type: "path"; readonly path: Path };

export interface Literal {
  readonly kind: "Literal";
  readonly value: LiteralValue;
  readonly span: Span;
}

export interface Decorator {
  readonly kind: "Decorator";
  readonly name: Ident;
  readonly args: readonly Literal[];
  readonly span: Span;
}

export interface Field {
  readonly kind: "Field";
  readonly name: Ident;
  readonly optional: boolean;
  readonly type: TypeRef;
  readonly defaultValue?: Literal;
  readonly decorators: readonly Decorator[];
  readonly doc?: Doc;
  readonly span: Span;
}

export interface FieldBlock {
  readonly fields: readonly Field[];
  readonly span: Span;
}

export interface UseClause {
  readonly kind: "Use";
  readonly contexts: readonly Ident[];
  readonly span: Span;
}

interface DeclBase {
  readonly name: Ident;
  readonly doc?: Doc;
  readonly span: Span;
}

export interface TypeDecl extends DeclBase {
  readonly kind: "TypeDecl";
  readonly fields: readonly Field[];
}

export interface EnumMember {
  readonly name: Ident;
  readonly doc?: Doc;
}

export interface EnumDecl extends DeclBase {
  readonly kind: "EnumDecl";
  readonly members: readonly EnumMember[];
}

export interface CommandDecl extends DeclBase {
  readonly kind: "CommandDecl";
  readonly fields: readonly Field[];
}

export interface VersionTag {
  readonly value: number;
  readonly span: Span;
}

export interface EventDecl extends DeclBase {
  readonly kind: "EventDecl";
  /** Absent when the declaration omits it (meaning v1). */
  readonly version?: VersionTag;
  readonly fields: readonly Field[];
}

export type UpcastValue =
  | { readonly kind: "default"; readonly literal: Literal }
  | { readonly kind: "rename"; readonly from: Ident }
  | { readonly kind: "compute"; readonly span: Span };

export interface UpcastRule {
  readonly field: Ident;
  readonly value: UpcastValue;
  readonly doc?: Doc;
  readonly span: Span;
}

export interface UpcastDecl {
  readonly kind: "UpcastDecl";
  readonly event: Path;
  readonly from: VersionTag;
  readonly to: VersionTag;
  readonly rules: readonly UpcastRule[];
  readonly doc?: Doc;
  readonly span: Span;
}

export interface Handler {
  readonly command: Path;
  readonly emits: readonly Path[];
  /** `rejects A | B`: rejections declared in the owner's `rejections { … }` block. */
  readonly rejects: readonly Ident[];
  readonly span: Span;
}

/** One entry of a `rejections { … }` block: a reason to refuse a command, with its fields. */
export interface RejectionDecl {
  readonly name: Ident;
  readonly fields: readonly Field[];
  readonly span: Span;
}

export interface Snapshot {
  readonly every: number;
  readonly span: Span;
}

/** One variant of a variant state: `Pending { items: Item[] }`, or a bare `Empty`. */
export interface StateVariant {
  readonly name: Ident;
  readonly fields?: FieldBlock;
  readonly span: Span;
}

export interface AggregateDecl extends DeclBase {
  readonly kind: "AggregateDecl";
  readonly stream?: Ident;
  /** `state { … }`: one record. */
  readonly state?: FieldBlock;
  /** `state Empty | Pending { … } | …`: one of several variants (then `state` is absent). */
  readonly variants?: readonly StateVariant[];
  readonly handlers: readonly Handler[];
  /** The `rejections { … }` blocks, joined. */
  readonly rejections?: readonly RejectionDecl[];
  /** The first `rejections` block, from its keyword to its closing brace. */
  readonly rejectionsSpan?: Span;
  readonly snapshot?: Snapshot;
  /** Where each clause begins (its first keyword), by clause: a clause's node spans only what follows the keyword. */
  readonly clauseStarts?: Readonly<Partial<Record<"stream" | "state" | "snapshot", number>>>;
}

export interface ServiceDecl extends DeclBase {
  readonly kind: "ServiceDecl";
  readonly handlers: readonly Handler[];
  /** The `rejections { … }` blocks, joined. */
  readonly rejections?: readonly RejectionDecl[];
  /** The first `rejections` block, from its keyword to its closing brace. */
  readonly rejectionsSpan?: Span;
}

export interface ProjectionDecl extends DeclBase {
  readonly kind: "ProjectionDecl";
  readonly key?: Field;
  readonly fields?: FieldBlock;
  readonly from: readonly Path[];
  /** Where each clause begins (its first keyword), by clause: a clause's node spans only what follows the keyword. */
  readonly clauseStarts?: Readonly<Partial<Record<"key" | "fields" | "from", number>>>;
}

export type MappingSource =
  | { readonly kind: "path"; readonly path: Path }
  | { readonly kind: "literal"; readonly literal: Literal };

export interface MappingEntry {
  readonly target: Ident;
  readonly source: MappingSource;
  readonly span: Span;
}

export interface Send {
  readonly command: Path;
  readonly mapping?: readonly MappingEntry[];
  readonly span: Span;
}

export interface Retry {
  readonly count: number;
  readonly everyMs: number;
  readonly everyText: string;
  readonly span: Span;
}

export interface Step {
  readonly name: Ident;
  readonly send?: Send;
  readonly await?: Path;
  readonly failOn?: Path;
  readonly compensate?: Send;
  /** `compensate always Cmd`: the compensation also runs when this step fails or times out. */
  readonly compensateAlways?: boolean;
  readonly retry?: Retry;
  readonly doc?: Doc;
  readonly span: Span;
  /** Where each clause begins (its first keyword), by clause: a clause's node spans only what follows the keyword. */
  readonly clauseStarts?: Readonly<Partial<Record<"send" | "await" | "failOn" | "compensate" | "retry", number>>>;
}

export interface Reaction {
  readonly event: Path;
  readonly send: Send;
  readonly doc?: Doc;
  readonly span: Span;
}

export interface TimeoutClause {
  readonly ms: number;
  readonly text: string;
  readonly span: Span;
}

export interface WorkflowDecl extends DeclBase {
  readonly kind: "WorkflowDecl";
  readonly mode: "orchestrated" | "choreographed";
  readonly start?: Path;
  readonly correlate?: Ident;
  readonly timeout?: TimeoutClause;
  readonly steps: readonly Step[];
  readonly onComplete?: Send;
  readonly onFail?: Send;
  readonly reactions: readonly Reaction[];
  /** Where each clause begins (its first keyword), by clause: a clause's node spans only what follows the keyword. */
  readonly clauseStarts?: Readonly<Partial<Record<"start" | "correlate" | "timeout" | "onComplete" | "onFail", number>>>;
}

export type Declaration =
  | TypeDecl
  | EnumDecl
  | CommandDecl
  | EventDecl
  | UpcastDecl
  | AggregateDecl
  | ServiceDecl
  | ProjectionDecl
  | WorkflowDecl;

export interface Comment {
  readonly kind: "line" | "block" | "doc";
  readonly text: string;
  readonly span: Span;
}

export interface FileNode {
  readonly kind: "File";
  readonly path: string;
  readonly context?: Ident;
  readonly contextDoc?: Doc;
  readonly uses: readonly UseClause[];
  readonly declarations: readonly Declaration[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}

export const isEventDecl = (d: Declaration): d is EventDecl => d.kind === "EventDecl";
export const isCommandDecl = (d: Declaration): d is CommandDecl => d.kind === "CommandDecl";
export const isUpcastDecl = (d: Declaration): d is UpcastDecl => d.kind === "UpcastDecl";
export const isWorkflowDecl = (d: Declaration): d is WorkflowDecl => d.kind === "WorkflowDecl";

/** The dotted text of a path (`Ordering.OrderPlaced`). */
export function pathText(path: Path): string {
  return path.parts.map((p) => p.name).join(".");
}
