/**
 * Which subject ids a data key can be made for. The key table keeps ids as text of the store's
 * database, which must give back the very id that sealed with the key: see `subjectIdProblem`.
 * Internal to the runtime (the encrypted store and the SQL key store use it).
 */

/** The longest subject id, in UTF-8 bytes, a key can be made for (PostgreSQL indexes the key table by it). */
export const MAX_SUBJECT_BYTES = 1024;

// With the `u` flag a surrogate pair is one code point: only a lone surrogate matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` holds a lone surrogate (UTF-8 text, a database's, turns it into U+FFFD). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Why a key cannot be made for `subject` (undefined: it can): the key table keeps subject ids as
 * UTF-8 text, where a lone surrogate turns into U+FFFD — the key would be stored under another id
 * than the one that seals with it, and the data would read as forgotten at once — PostgreSQL
 * refuses U+0000, and indexes no more than about 2,700 bytes. An empty id is no id: every event
 * without one would share a key, and forgetting one of them would forget them all.
 */
export function subjectIdProblem(subject: string): string | undefined {
  if (subject === "") return "is empty";
  const lone = LONE_SURROGATE.exec(subject);
  if (lone !== null) return `is not well-formed Unicode: it holds a lone surrogate at character ${lone.index}`;
  const nul = subject.indexOf("\u0000");
  if (nul >= 0) return `holds the character U+0000 (NUL) at character ${nul}`;
  const bytes = subject.length > MAX_SUBJECT_BYTES / 3 ? Buffer.byteLength(subject) : subject.length;
  if (bytes > MAX_SUBJECT_BYTES) return `is ${bytes} bytes long, above the limit of ${MAX_SUBJECT_BYTES}`;
  return undefined;
}

/**
 * Throws when no key can be made for `subject` (`subjectIdProblem`); `what` names the caller. The
 * message does not quote the id: it may be personal data, and errors reach logs unredacted.
 */
export function checkSubjectId(subject: string, what: () => string): void {
  const problem = subjectIdProblem(subject);
  // `what` is called only on a problem: on the append path no message is built per event.
  if (problem !== undefined) throw new RangeError(`${what()}: the data subject id ${problem}`);
}

/** A subject id for a message: quoted, escaped, and cut short when long. */
export function describeSubject(subject: string): string {
  const quoted = JSON.stringify(subject.length > 60 ? `${subject.slice(0, 60)}…` : subject);
  return subject.length > 60 ? `${quoted} (${subject.length} characters)` : quoted;
}
