import type { RenderColors } from "@eda/language";
import pc from "picocolors";

/** Where a command writes and how it colours: the process's streams, or a test's buffers. */
export interface Terminal {
  readonly cwd: string;
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Colours for text bound for standard output. */
  readonly outColors: RenderColors;
  /** Colours for text bound for standard error. */
  readonly errColors: RenderColors;
  /** Standard error is a terminal (progress lines go there only then). */
  readonly errIsTTY?: boolean;
}

/**
 * Colour is used only on a terminal, never when `NO_COLOR` has a value (no-color.org), and on
 * request with `FORCE_COLOR` (any value but `0` or `false`) even in a pipe.
 */
export function colorEnabled(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** The terminal of this process. */
export function processTerminal(): Terminal {
  const colors = (stream: NodeJS.WriteStream): RenderColors => pc.createColors(colorEnabled(stream, process.env));
  return {
    cwd: process.cwd(),
    out: writer(process.stdout),
    err: writer(process.stderr),
    outColors: colors(process.stdout),
    errColors: colors(process.stderr),
    errIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * A stream's write function that stops writing, instead of crashing, once the reader has gone
 * (`eda check | head`): the command still finishes and returns its exit code.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    open = false;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}
