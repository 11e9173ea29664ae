/**
 * A string that a regular expression matches, for synthesized samples of `@pattern` fields.
 * Covers what patterns in models use: literals and escapes, `.`, classes with ranges and
 * negation, groups (capturing or `(?:…)`) with `|`, the quantifiers `? * + {n} {n,} {n,m}` (lazy
 * or not), and `^`/`$`. Anything else (look-arounds, back-references) gives undefined; the
 * caller checks every result against the real RegExp anyway.
 */

/** A source of random integers in `[0, n)`. */
export type Random = (n: number) => number;

type Node =
  | { readonly kind: "chars"; readonly pick: readonly string[] }
  | { readonly kind: "alt"; readonly options: readonly Node[][] }
  | { readonly kind: "repeat"; readonly node: Node; readonly min: number; readonly max: number };

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const DIGITS = PRINTABLE.filter((c) => c >= "0" && c <= "9");
const WORD = PRINTABLE.filter((c) => /\w/.test(c));
const SPACE = [" "];
/** Unbounded quantifiers repeat at most this many times more than their minimum. */
const SPREAD = 4;

class Unsupported extends Error {}

class Parser {
  private at = 0;
  constructor(private readonly src: string) {}

  parse(): Node[][] {
    const options = this.alternatives();
    if (this.at < this.src.length) throw new Unsupported(`unexpected ${this.src[this.at]}`);
    return options;
  }

  private alternatives(): Node[][] {
    const options: Node[][] = [this.sequence()];
    while (this.src[this.at] === "|") {
      this.at++;
      options.push(this.sequence());
    }
    return options;
  }

  private sequence(): Node[] {
    const nodes: Node[] = [];
    while (this.at < this.src.length && this.src[this.at] !== "|" && this.src[this.at] !== ")") {
      const ch = this.src[this.at] as string;
      if (ch === "^" || ch === "$") {
        this.at++;
        continue;
      }
      nodes.push(this.quantified(this.atom()));
    }
    return nodes;
  }

  private atom(): Node {
    const ch = this.src[this.at++] as string;
    if (ch === "(") {
      if (this.src.startsWith("?:", this.at)) this.at += 2;
      else if (this.src[this.at] === "?") throw new Unsupported("look-around");
      const options = this.alternatives();
      if (this.src[this.at++] !== ")") throw new Unsupported("unclosed group");
      return { kind: "alt", options };
    }
    if (ch === "[") return this.charClass();
    if (ch === ".") return { kind: "chars", pick: PRINTABLE };
    if (ch === "\\") return { kind: "chars", pick: this.escape() };
    if ("*+?{".includes(ch)) throw new Unsupported("quantifier without atom");
    return { kind: "chars", pick: [ch] };
  }

  private escape(): readonly string[] {
    const ch = this.src[this.at++];
    if (ch === undefined) throw new Unsupported("trailing backslash");
    if (ch === "d") return DIGITS;
    if (ch === "w") return WORD;
    if (ch === "s") return SPACE;
    if (ch === "D" || ch === "W" || ch === "S") return PRINTABLE.filter((c) => !new RegExp(`\\${ch.toLowerCase()}`).test(c));
    if (/[1-9bBpPuxck]/.test(ch)) throw new Unsupported(`\\${ch}`);
    if (ch === "n") return ["\n"];
    if (ch === "t") return ["\t"];
    return [ch];
  }

  private charClass(): Node {
    const negate = this.src[this.at] === "^";
    if (negate) this.at++;
    const set = new Set<string>();
    let first = true;
    while (this.at < this.src.length && (this.src[this.at] !== "]" || first)) {
      first = false;
      let from: readonly string[];
      if (this.src[this.at] === "\\") {
        this.at++;
        from = this.escape();
      } else {
        from = [this.src[this.at++] as string];
      }
      const single = from.length === 1 ? (from[0] as string) : undefined;
      if (single !== undefined && this.src[this.at] === "-" && this.src[this.at + 1] !== "]" && this.at + 1 < this.src.length) {
        this.at++;
        const end = this.src[this.at] === "\\" ? (this.at++, this.escape()[0]) : this.src[this.at++];
        if (end === undefined) throw new Unsupported("bad range");
        for (let c = single.charCodeAt(0); c <= end.charCodeAt(0); c++) set.add(String.fromCharCode(c));
      } else {
        for (const c of from) set.add(c);
      }
    }
    if (this.src[this.at++] !== "]") throw new Unsupported("unclosed class");
    const pick = negate ? PRINTABLE.filter((c) => !set.has(c)) : [...set];
    if (pick.length === 0) throw new Unsupported("empty class");
    return { kind: "chars", pick };
  }

  private quantified(node: Node): Node {
    const ch = this.src[this.at];
    let min: number;
    let max: number;
    if (ch === "?") [min, max] = [0, 1];
    else if (ch === "*") [min, max] = [0, SPREAD];
    else if (ch === "+") [min, max] = [1, 1 + SPREAD];
    else if (ch === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? min + SPREAD : Number(m[3]);
      this.at += m[0].length - 1;
    } else return node;
    this.at++;
    if (this.src[this.at] === "?") this.at++;
    return { kind: "repeat", node, min, max };
  }
}

function emit(nodes: readonly Node[], random: Random, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === "chars") out.push(node.pick[random(node.pick.length)] as string);
    else if (node.kind === "alt") emit(node.options[random(node.options.length)] as Node[], random, out);
    else {
      const times = node.min + random(node.max - node.min + 1);
      for (let i = 0; i < times; i++) emit([node.node], random, out);
    }
  }
}

/** A string of at most `maxLength` that `pattern` matches, or undefined when none was found. */
export function samplePattern(pattern: string, random: Random, maxLength = Infinity, minLength = 0): string | undefined {
  let tree: Node[][];
  try {
    tree = new Parser(pattern).parse();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const re = new RegExp(pattern, "u");
  for (let attempt = 0; attempt < 20; attempt++) {
    const out: string[] = [];
    emit(tree[random(tree.length)] as Node[], random, out);
    const text = out.join("");
    if (text.length <= maxLength && text.length >= minLength && re.test(text)) return text;
  }
  return undefined;
}
