/**
 * A failure that is the user's to fix and not a finding about the model: a bad argument, an
 * unreadable file, a broken config. The CLI prints its message as one line and exits with 2.
 */
export class CliError extends Error {
  override readonly name = "CliError";
}

/** Exit codes: 0 no error (warnings allowed), 1 errors in the model, 2 usage or I/O error, 3 a bug in eda. */
export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3 } as const;

/** The one-line reason of a failed file operation: `ENOENT: no such file or directory`. */
export function describeFsError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node's messages repeat the syscall and path ("ENOENT: no such file or directory, open 'x'");
    // the caller names the path itself, so keep only the reason.
    const reason = error.message.replace(/,\s*\w+(?:\s+'[^']*'(?:\s*->\s*'[^']*')?)?$/, "");
    return code && !reason.startsWith(code) ? `${code}: ${reason}` : reason;
  }
  return String(error);
}
