/**
 * Diagnostics as you type: the model is checked a short delay after the last edit (edits that
 * arrive while a check runs make its result stale: it is dropped and the check runs again), then
 * each file's diagnostics are published with the same codes, messages, hints and related spans
 * as `eda check`.
 */
import type { Diagnostic as EdaDiagnostic } from "@eda/language";
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from "vscode-languageserver";
import type { LineMap } from "./positions.js";
import type { Project, Snapshot } from "./project.js";

/** Data kept on each LSP diagnostic, for code actions. */
export interface DiagnosticData {
  readonly hint?: string;
}

/** Converts one diagnostic; `lines` maps a file key to its line map, `uri` to its URI. */
export function toLspDiagnostic(d: EdaDiagnostic, lines: (file: string) => LineMap, uri: (file: string) => string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = (d.labels ?? []).map((l) => ({
    location: { uri: uri(l.span.file), range: lines(l.span.file).spanRange(l.span) },
    message: l.message,
  }));
  const tags = d.code === "EDA2009" || d.code === "EDA2010" ? [DiagnosticTag.Unnecessary] : d.code === "EDA6006" ? [DiagnosticTag.Deprecated] : undefined;
  const data: DiagnosticData = d.hint !== undefined ? { hint: d.hint } : {};
  return {
    range: lines(d.span.file).spanRange(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : d.severity === "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: d.code,
    source: "eda",
    message: d.hint !== undefined ? `${d.message}\n${d.hint}` : d.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    ...(tags ? { tags } : {}),
    data,
  };
}

/** What the scheduler publishes through. */
export interface Publisher {
  /** Publishes the diagnostics of one compiled project. */
  publish(project: Project, snapshot: Snapshot): void;
  /** The number of edits received so far (counted as they arrive, before they are applied). */
  readonly editsReceived: () => number;
  /** A check threw (a bug): told to the editor's log; the server goes on with its other projects. */
  readonly failed?: (project: Project, error: unknown) => void;
  /** Whether a project is checked in steps, answering other messages between them (a large model); default: never. */
  readonly inSteps?: (project: Project) => boolean;
}

/**
 * Lets the server read and answer the messages that arrived during a step of a check. A few
 * milliseconds, not one turn of the event loop: the connection takes several turns from reading
 * a message to handling it.
 */
const PAUSE_MS = 4;
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));

/**
 * Runs checks a delay after the last edit, and never publishes a result that a newer edit made
 * stale. A large project is checked in steps ({@link Project.compileInSteps}): messages are
 * answered between them, and an edit of the project abandons the check at the next step.
 */
export class CheckScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly dirty = new Set<Project>();
  private running = false;

  constructor(
    private readonly publisher: Publisher,
    /** Milliseconds to wait after an edit before checking. */
    public delayMs: number,
  ) {}

  /** A project changed: check it after the delay (restarted by every further edit). */
  schedule(project: Project): void {
    this.dirty.add(project);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  /** Checks now (no delay): used when the workspace loads. */
  runNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    return this.run();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.running) return; // the running pass sees the new edits and reschedules
    this.running = true;
    try {
      while (this.dirty.size > 0) {
        const [project] = this.dirty as Set<Project>;
        this.dirty.delete(project as Project);
        const seen = this.publisher.editsReceived();
        let snapshot: Snapshot | undefined;
        try {
          snapshot = this.publisher.inSteps?.(project as Project) ? await (project as Project).compileInSteps(pause) : (project as Project).compile();
        } catch (error) {
          // A bug in the checker must not end the server (an unhandled rejection would): the
          // project keeps its last diagnostics until its next edit checks it again.
          this.publisher.failed?.(project as Project, error);
          continue;
        }
        // Abandoned for a newer text: check that one.
        if (snapshot === undefined) {
          this.dirty.add(project as Project);
          continue;
        }
        // Let edits that arrived during the check be read before publishing its result (the same
        // few milliseconds as between steps: one turn of the loop reads a message, not handles it).
        await pause();
        if (this.publisher.editsReceived() !== seen || !(project as Project).fresh) {
          this.dirty.add(project as Project);
          // The newer edits reschedule when applied; if they were to other projects, check again.
          if (!this.timer) this.timer = setTimeout(() => void this.run(), this.delayMs);
          return;
        }
        this.publisher.publish(project as Project, snapshot);
      }
    } finally {
      this.running = false;
    }
  }
}
