/**
 * The grammar of message names, judged with an English word table (words.generated.ts, from
 * WordNet 3.1): an event names its verb as a past participle wherever it stands
 * (`ItemsCheckedInToInventory`), a command starts with its verb (`MarkTripBooked`).
 */
import { IRREGULAR_BASES, IRREGULAR_PARTICIPLES, NOT_PARTICIPLES, NOUNISH_VERBS, NOUN_TOO_VERBS, VERBS } from "./words.generated.js";

interface Tables {
  readonly verbs: ReadonlySet<string>;
  readonly nounish: ReadonlySet<string>;
  readonly nounToo: ReadonlySet<string>;
  readonly participles: ReadonlySet<string>;
  readonly irregularBases: ReadonlySet<string>;
  readonly notParticiples: ReadonlySet<string>;
}

let tables: Tables | undefined;

/** The word sets, split on first use so that a check without messages never pays for them. */
function words(): Tables {
  tables ??= {
    verbs: new Set(VERBS.split(" ")),
    nounish: new Set(NOUNISH_VERBS.split(" ")),
    nounToo: new Set(NOUN_TOO_VERBS.split(" ")),
    participles: new Set(IRREGULAR_PARTICIPLES.split(" ")),
    irregularBases: new Set(IRREGULAR_BASES.split(" ")),
    notParticiples: new Set(NOT_PARTICIPLES.split(" ")),
  };
  return tables;
}

/** Prefixes that make a verb of a verb: `reopen`, `unassign`, `overpay`. */
const PREFIXES = ["re", "un", "de", "dis", "mis", "pre", "over", "under", "out", "up", "co", "on", "off", "sub", "auto", "cross"];

/** Words that complete a phrasal verb: `check in`, `sign up`. */
const PARTICLES = new Set(["in", "out", "up", "down", "off", "on", "back", "over", "away", "through"]);

/** The verb a word is, prefix and all, or undefined. */
function verbBase(word: string, set: ReadonlySet<string>): string | undefined {
  if (set.has(word)) return word;
  for (const p of PREFIXES) {
    const rest = word.slice(p.length);
    if (word.startsWith(p) && rest.length >= 3 && set.has(rest)) return rest;
  }
  return undefined;
}

const WORD = /[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z][a-z0-9]*/g;

/** A name's words: `ItemsCheckedInToInventory` → items, checked, in, to, inventory. */
export function nameWords(name: string): string[] {
  return (name.match(WORD) ?? [name]).map((w) => w.toLowerCase());
}

/** Whether a word can be a verb's base form. */
export function isVerb(word: string): boolean {
  return verbBase(word, words().verbs) !== undefined;
}

/** Whether a verb is mostly a noun, as `order` or `book` are. */
function isNounish(word: string): boolean {
  const base = verbBase(word, words().verbs);
  return base !== undefined && words().nounish.has(base);
}

/** Whether a word is a past participle: `added`, `checked`, `shipped`, `emptied`, `withdrawn`, `overpaid`. */
export function isParticiple(word: string): boolean {
  const t = words();
  if (verbBase(word, t.participles) !== undefined) return true;
  if (!word.endsWith("ed") || word.length < 4) return false;
  // `feed`, `need`, `proceed`: verbs of their own, not forms of `fee` or `ne`.
  if (word.endsWith("eed") && t.verbs.has(word)) return false;
  const stem = word.slice(0, -2);
  const candidates = [stem, stem + "e"];
  if (stem.length >= 3 && stem[stem.length - 1] === stem[stem.length - 2]) candidates.push(stem.slice(0, -1));
  if (stem.endsWith("i")) candidates.push(stem.slice(0, -1) + "y");
  if (stem.endsWith("ck")) candidates.push(stem.slice(0, -1));
  return candidates.some((c) => {
    const base = verbBase(c, t.verbs);
    return base !== undefined && !t.irregularBases.has(base);
  });
}

/** Why an event name does not read as a fact, or undefined when it does. */
export function eventNameProblem(name: string): "no-participle" | undefined {
  return nameWords(name).some((w) => isParticiple(w) || endsInParticiple(w) || unknownEdWord(w)) ? undefined : "no-participle";
}

/** An -ed word WordNet does not know (`anonymized`, `triaged`): most likely a participle of a newer verb. */
function unknownEdWord(word: string): boolean {
  return word.length >= 6 && word.endsWith("ed") && !words().notParticiples.has(word);
}

/** A run-together word ending in a participle: `orderplaced`. */
function endsInParticiple(word: string): boolean {
  for (let i = 3; i <= word.length - 5; i++) if (isParticiple(word.slice(i))) return true;
  return false;
}

export type CommandNameProblem = { kind: "past" } | { kind: "verb-last"; suggestion: string } | { kind: "no-verb" };

/**
 * Why a command name does not read as a request, or undefined when it does. A command starts with
 * its verb; a past participle after a verb is fine (`MarkTripBooked`), but not after a noun (`OrderCreated`).
 */
export function commandNameProblem(name: string): CommandNameProblem | undefined {
  const parts = name.match(WORD) ?? [name];
  const ws = parts.map((w) => w.toLowerCase());
  const first = ws[0] as string;
  const rest = ws.slice(1);
  // `SignUp`, `CheckInGuest`: a verb and its particle.
  if (PARTICLES.has(ws[1] ?? "") && isVerb(first)) return undefined;
  const firstIsVerb = isVerb(first);
  if (rest.some(onlyParticiple)) {
    // `TransferCompleted` is a noun and its participle; `MarkTripBooked` a verb, its object and a participle.
    const nounThenParticiple = ws.length === 2 && words().nounToo.has(verbBase(first, words().verbs) ?? "");
    return firstIsVerb && !isNounish(first) && !nounThenParticiple ? undefined : { kind: "past" };
  }
  const last = ws.length - 1;
  if ((!firstIsVerb ? last > 0 : last === 1 && isNounish(first)) && !PARTICLES.has(ws[last] as string) && isPlainVerb(ws[last] as string)) {
    return { kind: "verb-last", suggestion: `${parts[last]}${parts.slice(0, last).join("")}` };
  }
  if (!firstIsVerb || (ws.length === 1 && isNounish(first))) return { kind: "no-verb" };
  return undefined;
}

/** A verb that is not also a noun: `create`, `add` (WordNet's tagged texts never use them as nouns). */
function isPlainVerb(word: string): boolean {
  const base = verbBase(word, words().verbs);
  return base !== undefined && !words().nounToo.has(base);
}

/** A participle that is not also a base form (`created`, not `set`). */
function onlyParticiple(word: string): boolean {
  return isParticiple(word) && !isVerb(word);
}
