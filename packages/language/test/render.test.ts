import { describe, expect, it } from "vitest";
import {
  diagnostic,
  renderDiagnostics,
  summarizeDiagnostics,
  type Diagnostic,
  type RenderColors,
} from "../src/index.js";

/** A span of `file` from the first occurrence of `needle` in `text` (at or after `from`). */
function spanOf(file: string, text: string, needle: string, from = 0) {
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`'${needle}' not in text`);
  return { file, start, end: start + needle.length };
}

function render(list: Diagnostic[], files: Record<string, string>): string {
  return renderDiagnostics(list, new Map(Object.entries(files)));
}

const shop = [
  "context Ordering",
  "",
  "event OrderPlaced {",
  "  orderId: uuid",
  "}",
  "",
  "aggregate Order {",
  "  on PlaceOrder emits OrderPlacd",
  "}",
  "",
].join("\n");

describe("renderDiagnostics", () => {
  it("frames a single-line span with its location, carets and hint", () => {
    const d = diagnostic("EDA2001", spanOf("a.eda", shop, "OrderPlacd"), "I cannot find an event named `OrderPlacd`.", {
      hint: "Did you mean `OrderPlaced`?",
    });
    expect(render([d], { "a.eda": shop })).toBe(
      [
        "a.eda:8:23: error EDA2001: I cannot find an event named `OrderPlacd`.",
        "  |",
        "8 |   on PlaceOrder emits OrderPlacd",
        "  |                       ^^^^^^^^^^",
        "  = hint: Did you mean `OrderPlaced`?",
        "",
      ].join("\n"),
    );
  });

  it("adds related labels as notes with their own frames, in other files too", () => {
    const other = "context Billing\nevent OrderPlaced {}\n";
    const d = diagnostic("EDA2003", spanOf("a.eda", shop, "OrderPlaced"), "`OrderPlaced` is declared twice.", {
      labels: [{ span: spanOf("b.eda", other, "OrderPlaced"), message: "first declared here" }],
    });
    expect(render([d], { "a.eda": shop, "b.eda": other })).toBe(
      [
        "a.eda:3:7: error EDA2003: `OrderPlaced` is declared twice.",
        "  |",
        "3 | event OrderPlaced {",
        "  |       ^^^^^^^^^^^",
        "b.eda:2:7: note: first declared here",
        "  |",
        "2 | event OrderPlaced {}",
        "  |       ^^^^^^^^^^^",
        "",
      ].join("\n"),
    );
  });

  it("underlines each line of a multi-line span from its first non-blank character", () => {
    const start = shop.indexOf("event OrderPlaced");
    const end = shop.indexOf("}", start) + 1;
    const d = diagnostic("EDA6002", { file: "a.eda", start, end }, "message");
    expect(render([d], { "a.eda": shop })).toBe(
      [
        "a.eda:3:1: warning EDA6002: message",
        "  |",
        "3 | event OrderPlaced {",
        "  | ^^^^^^^^^^^^^^^^^^^",
        "4 |   orderId: uuid",
        "  |   ^^^^^^^^^^^^^",
        "5 | }",
        "  | ^",
        "",
      ].join("\n"),
    );
  });

  it("elides the middle of a long span and ignores a trailing line break", () => {
    const text = "a {\n  b\n  c\n  d\n  e\n}\nz\n";
    const d = diagnostic("EDA1005", { file: "f.eda", start: 0, end: text.indexOf("z") }, "long");
    expect(render([d], { "f.eda": text })).toBe(
      ["f.eda:1:1: error EDA1005: long", "  |", "1 | a {", "  | ^^^", "2 |   b", "  |   ^", "...", "6 | }", "  | ^", ""].join(
        "\n",
      ),
    );
  });

  it("points one caret at an empty span at the end of the file", () => {
    const text = "context A\nevent B {";
    const d = diagnostic("EDA1004", { file: "f.eda", start: text.length, end: text.length }, "expected `}`");
    expect(render([d], { "f.eda": text })).toBe(
      ["f.eda:2:10: error EDA1004: expected `}`", "  |", "2 | event B {", "  |          ^", ""].join("\n"),
    );
  });

  it("expands tabs so that carets stay under the span", () => {
    const text = "context A\n\tevent\tB {}\n";
    const d = diagnostic("EDA6004", spanOf("f.eda", text, "B"), "bad name");
    expect(render([d], { "f.eda": text })).toBe(
      ["f.eda:2:8: warning EDA6004: bad name", "  |", "2 |     event   B {}", "  |             ^", ""].join("\n"),
    );
  });

  it("keeps carets under the span after wide characters and combining marks, as a terminal draws them", () => {
    const text = 'context A\ntype T { a: string = "日本語", b: string = "e\u0301", c: intt }\n';
    const d = diagnostic("EDA2001", spanOf("f.eda", text, "intt"), "unknown");
    const [, , line, marks] = render([d], { "f.eda": text }).split("\n");
    // Three wide characters take a column more each; the combining accent takes none.
    expect(marks?.indexOf("^")).toBe((line as string).indexOf("intt") + 3 - 1);
    expect(marks?.slice(marks.indexOf("^"))).toBe("^^^^");
  });

  it("expands a tab after a wide character to the tab stop a terminal shows", () => {
    const text = "context A\n日\tintt\n";
    const d = diagnostic("EDA2001", spanOf("f.eda", text, "intt"), "unknown");
    const [, , line, marks] = render([d], { "f.eda": text }).split("\n");
    // 日 takes two columns, so the tab pads two spaces to column 4, where the carets start too.
    expect(line?.endsWith("| 日  intt")).toBe(true);
    expect(marks?.slice(marks.indexOf("| ") + 2)).toBe("    ^^^^");
  });

  it("widens the gutter for every frame of a diagnostic to its widest line number", () => {
    const text = Array.from({ length: 120 }, (_, i) => `line${i + 1}`).join("\n");
    const d = diagnostic("EDA2003", spanOf("f.eda", text, "line9\n"), "dup", {
      labels: [{ span: spanOf("f.eda", text, "line110"), message: "here" }],
    });
    expect(render([d], { "f.eda": text })).toBe(
      [
        "f.eda:9:1: error EDA2003: dup",
        "    |",
        "  9 | line9",
        "    | ^^^^^",
        "f.eda:110:1: note: here",
        "    |",
        "110 | line110",
        "    | ^^^^^^^",
        "",
      ].join("\n"),
    );
  });

  it("handles CRLF line breaks and spans of files it has no text for", () => {
    const text = "context A\r\nevent B {}\r\n";
    const d = diagnostic("EDA6004", spanOf("f.eda", text, "B"), "bad", {
      labels: [{ span: { file: "gone.eda", start: 0, end: 1 }, message: "there" }],
    });
    expect(render([d], { "f.eda": text })).toBe(
      ["f.eda:2:7: warning EDA6004: bad", "  |", "2 | event B {}", "  |       ^", "gone.eda: note: there", ""].join("\n"),
    );
  });

  it("separates diagnostics by a blank line and draws nothing for none", () => {
    const text = "context A\nevent B {}\n";
    const a = diagnostic("EDA6004", spanOf("f.eda", text, "A"), "one");
    const b = diagnostic("EDA6004", spanOf("f.eda", text, "B"), "two");
    const out = render([a, b], { "f.eda": text });
    expect(out.split("\n\n")).toHaveLength(2);
    expect(out).toContain("\nf.eda:2:7: warning EDA6004: two\n");
    expect(render([], {})).toBe("");
  });

  it("applies the colour functions it is given", () => {
    const tag =
      (name: string) =>
      (text: string): string =>
        `<${name}>${text}</${name}>`;
    const colors: RenderColors = {
      red: tag("r"),
      yellow: tag("y"),
      blue: tag("b"),
      cyan: tag("c"),
      bold: tag("B"),
      dim: tag("d"),
    };
    const text = "context A\n";
    const d = diagnostic("EDA1006", spanOf("f.eda", text, "A"), "msg");
    const out = renderDiagnostics([d], new Map([["f.eda", text]]), { colors });
    expect(out).toContain("<B>f.eda:1:9</B>: <r><B>error</B></r> <B>EDA1006</B>: <B>msg</B>");
    expect(out).toContain("<r>^</r>");
    expect(out).toContain("<b>1</b> <b>|</b> context A");
  });
});

describe("summarizeDiagnostics", () => {
  const err = diagnostic("EDA1006", { file: "f", start: 0, end: 1 }, "e");
  const warn = diagnostic("EDA6004", { file: "f", start: 0, end: 1 }, "w");
  it("counts errors, warnings and files with plurals", () => {
    expect(summarizeDiagnostics([], 7)).toBe("No problems in 7 files.");
    expect(summarizeDiagnostics([err, err, warn], 7)).toBe("2 errors, 1 warning in 7 files");
    expect(summarizeDiagnostics([warn], 1)).toBe("1 warning in 1 file");
    expect(summarizeDiagnostics([err], 2)).toBe("1 error in 2 files");
  });
});
