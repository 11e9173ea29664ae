/**
 * What the grammar colours, read with VS Code's own tokenizer: each kind of token on real lines
 * of the shop model, the cases the shop does not show, keywords used as names, and a reviewed
 * snapshot of every scope in the shop.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatScopes, loadGrammar, tokenizeText } from "../../packages/vscode/scripts/textmate.mjs";
import { innermost, isKeywordScope, lexicon, repoRoot, scopeAt, scopesOf, tokenize, type TmToken } from "./support.js";

const shopDir = join(repoRoot, "examples/shop");
const shopFiles = existsSync(shopDir) ? readdirSync(shopDir).filter((f) => f.endsWith(".eda")).sort() : [];
const shop = (file: string): string => readFileSync(join(shopDir, file), "utf8");

/** The tokens of the first line of a shop file that reads `line` (trimmed), tokenized in its file. */
function shopLine(file: string, line: string): readonly TmToken[] {
  const found = tokenize(shop(file)).find((l) => l.text.trim() === line);
  if (found === undefined) throw new Error(`examples/shop/${file} has no line \`${line}\``);
  return found.tokens;
}

/** The innermost scope of the `nth` token reading `word` on a token list. */
function scopeOfWord(tokens: readonly TmToken[], word: string, nth = 0): string {
  const token = tokens.filter((t) => t.text === word)[nth];
  if (token === undefined) throw new Error(`no token \`${word}\` (#${nth}) among ${tokens.map((t) => t.text).join("·")}`);
  return innermost(token.scopes);
}

it("finds the shop model in examples/shop", () => {
  const expected = ["checkout.eda", "common.eda", "fulfilment.eda", "notifications.eda", "ordering.eda", "payments.eda", "shipping.eda"];
  expect(shopFiles).toEqual(expect.arrayContaining(expected));
});

/** [file, line, word, occurrence of the word on the line, innermost scope]. */
type Case = [string, string, string, number, string];
const shopCases: Record<string, Case[]> = {
  "declaration keywords and names": [
    ["ordering.eda", "context Ordering", "context", 0, "storage.type.context.eda"],
    ["ordering.eda", "context Ordering", "Ordering", 0, "entity.name.namespace.eda"],
    ["checkout.eda", "use Inventory, Payments, Shipping", "use", 0, "keyword.control.import.eda"],
    ["checkout.eda", "use Inventory, Payments, Shipping", "Payments", 0, "entity.name.namespace.eda"],
    ["ordering.eda", "enum OrderStatus { Placed, Confirmed, Cancelled }", "enum", 0, "storage.type.enum.eda"],
    ["ordering.eda", "enum OrderStatus { Placed, Confirmed, Cancelled }", "OrderStatus", 0, "entity.name.type.enum.eda"],
    ["ordering.eda", "enum OrderStatus { Placed, Confirmed, Cancelled }", "Confirmed", 0, "variable.other.enummember.eda"],
    ["ordering.eda", "type OrderLine {", "type", 0, "storage.type.type.eda"],
    ["ordering.eda", "type OrderLine {", "OrderLine", 0, "entity.name.type.type.eda"],
    ["ordering.eda", "command PlaceOrder {", "command", 0, "storage.type.command.eda"],
    ["ordering.eda", "command PlaceOrder {", "PlaceOrder", 0, "entity.name.type.command.eda"],
    ["ordering.eda", "event OrderPlaced v2 {", "event", 0, "storage.type.event.eda"],
    ["ordering.eda", "event OrderPlaced v2 {", "OrderPlaced", 0, "entity.name.type.event.eda"],
    ["ordering.eda", "upcast OrderPlaced v1 -> v2 {", "upcast", 0, "storage.type.upcast.eda"],
    ["ordering.eda", "upcast OrderPlaced v1 -> v2 {", "OrderPlaced", 0, "entity.name.type.event.eda"],
    ["ordering.eda", "aggregate Order {", "aggregate", 0, "storage.type.aggregate.eda"],
    ["ordering.eda", "aggregate Order {", "Order", 0, "entity.name.type.aggregate.eda"],
    ["notifications.eda", "service Mailer {", "service", 0, "storage.type.service.eda"],
    ["notifications.eda", "service Mailer {", "Mailer", 0, "entity.name.type.service.eda"],
    ["ordering.eda", "projection CustomerOrders {", "projection", 0, "storage.type.projection.eda"],
    ["ordering.eda", "projection CustomerOrders {", "CustomerOrders", 0, "entity.name.type.projection.eda"],
    ["checkout.eda", "workflow Checkout orchestrated {", "workflow", 0, "storage.type.workflow.eda"],
    ["checkout.eda", "workflow Checkout orchestrated {", "Checkout", 0, "entity.name.type.workflow.eda"],
  ],
  "clause keywords, workflow modes and versions": [
    ["checkout.eda", "workflow Checkout orchestrated {", "orchestrated", 0, "storage.modifier.orchestrated.eda"],
    ["notifications.eda", "workflow CustomerNotifications choreographed {", "choreographed", 0, "storage.modifier.choreographed.eda"],
    ["ordering.eda", "event OrderPlaced v2 {", "v2", 0, "constant.numeric.version.eda"],
    ["ordering.eda", "upcast OrderPlaced v1 -> v2 {", "v1", 0, "constant.numeric.version.eda"],
    ["ordering.eda", "total = compute", "compute", 0, "keyword.other.compute.eda"],
    ["ordering.eda", "contactEmail = from email", "from", 0, "keyword.other.from.eda"],
    ["ordering.eda", "stream orderId", "stream", 0, "keyword.other.stream.eda"],
    ["ordering.eda", "state {", "state", 0, "keyword.other.state.eda"],
    ["ordering.eda", "on PlaceOrder emits OrderPlaced", "on", 0, "keyword.control.on.eda"],
    ["ordering.eda", "on PlaceOrder emits OrderPlaced", "emits", 0, "keyword.other.emits.eda"],
    ["ordering.eda", "snapshot every 50", "snapshot", 0, "keyword.other.snapshot.eda"],
    ["ordering.eda", "snapshot every 50", "every", 0, "keyword.other.every.eda"],
    ["ordering.eda", "key customerId: uuid", "key", 0, "keyword.other.key.eda"],
    ["ordering.eda", "fields {", "fields", 0, "keyword.other.fields.eda"],
    ["ordering.eda", "from OrderPlaced, OrderCancelled", "from", 0, "keyword.other.from.eda"],
    ["checkout.eda", "start on OrderPlaced", "start", 0, "keyword.control.start.eda"],
    ["checkout.eda", "start on OrderPlaced", "on", 0, "keyword.control.on.eda"],
    ["checkout.eda", "correlate orderId", "correlate", 0, "keyword.other.correlate.eda"],
    ["checkout.eda", "timeout 30m", "timeout", 0, "keyword.control.timeout.eda"],
    ["checkout.eda", "step reserveStock {", "step", 0, "keyword.other.step.eda"],
    ["checkout.eda", "send ReserveStock", "send", 0, "keyword.control.send.eda"],
    ["checkout.eda", "await StockReserved", "await", 0, "keyword.control.await.eda"],
    ["checkout.eda", "fail on StockReservationFailed", "fail", 0, "keyword.control.fail.eda"],
    ["checkout.eda", "fail on StockReservationFailed", "on", 0, "keyword.control.on.eda"],
    ["checkout.eda", "compensate ReleaseStock", "compensate", 0, "keyword.control.compensate.eda"],
    ["checkout.eda", "retry 3 every 2s", "retry", 0, "keyword.control.retry.eda"],
    ["checkout.eda", "retry 3 every 2s", "every", 0, "keyword.other.every.eda"],
    ["checkout.eda", "on complete send ConfirmOrder", "complete", 0, "keyword.control.complete.eda"],
    ["checkout.eda", 'on fail send CancelOrder { reason = "checkout failed" }', "fail", 0, "keyword.control.fail.eda"],
    ["fulfilment.eda", "reserved: bool = false", "false", 0, "constant.language.boolean.false.eda"],
  ],
  "references to messages, steps and fields": [
    ["ordering.eda", "on PlaceOrder emits OrderPlaced", "PlaceOrder", 0, "entity.name.type.command.eda"],
    ["ordering.eda", "on PlaceOrder emits OrderPlaced", "OrderPlaced", 0, "entity.name.type.event.eda"],
    ["ordering.eda", "from OrderPlaced, OrderCancelled", "OrderCancelled", 0, "entity.name.type.event.eda"],
    ["checkout.eda", "start on OrderPlaced", "OrderPlaced", 0, "entity.name.type.event.eda"],
    ["checkout.eda", "step chargePayment {", "chargePayment", 0, "entity.name.function.step.eda"],
    ["checkout.eda", "send ChargePayment { amount = total }", "ChargePayment", 0, "entity.name.type.command.eda"],
    ["checkout.eda", "await PaymentCaptured", "PaymentCaptured", 0, "entity.name.type.event.eda"],
    ["checkout.eda", "compensate RefundPayment", "RefundPayment", 0, "entity.name.type.command.eda"],
    ["notifications.eda", "on OrderPlaced send SendOrderConfirmation { to = contactEmail }", "OrderPlaced", 0, "entity.name.type.event.eda"],
    ["notifications.eda", "on OrderPlaced send SendOrderConfirmation { to = contactEmail }", "SendOrderConfirmation", 0, "entity.name.type.command.eda"],
    ["ordering.eda", "stream orderId", "orderId", 0, "variable.other.property.eda"],
    ["checkout.eda", "correlate orderId", "orderId", 0, "variable.other.property.eda"],
    ["checkout.eda", "send ChargePayment { amount = total }", "amount", 0, "variable.other.property.eda"],
    ["checkout.eda", "send ChargePayment { amount = total }", "total", 0, "variable.other.property.eda"],
    ["ordering.eda", "contactEmail = from email", "contactEmail", 0, "variable.other.property.eda"],
    ["ordering.eda", "contactEmail = from email", "email", 0, "variable.other.property.eda"],
    ["ordering.eda", "status: OrderStatus = Placed", "Placed", 0, "variable.other.enummember.eda"],
  ],
  "fields and types": [
    ["ordering.eda", "orderId: uuid", "orderId", 0, "variable.other.property.eda"],
    ["ordering.eda", "orderId: uuid", ":", 0, "punctuation.separator.colon.eda"],
    ["ordering.eda", "orderId: uuid", "uuid", 0, "support.type.primitive.eda"],
    ["ordering.eda", "unitPrice: Money", "Money", 0, "entity.name.type.eda"],
    ["ordering.eda", "lines: OrderLine[]", "OrderLine", 0, "entity.name.type.eda"],
    ["ordering.eda", "lines: OrderLine[]", "[", 0, "punctuation.definition.list.begin.eda"],
    ["ordering.eda", "lines: OrderLine[]", "]", 0, "punctuation.definition.list.end.eda"],
    ["ordering.eda", "customerId?: uuid", "customerId", 0, "variable.other.property.eda"],
    ["ordering.eda", "customerId?: uuid", "?", 0, "keyword.operator.optional.eda"],
    ["ordering.eda", "key customerId: uuid", "customerId", 0, "variable.other.property.eda"],
    ["ordering.eda", "key customerId: uuid", "uuid", 0, "support.type.primitive.eda"],
    ["payments.eda", "command ChargePayment { orderId: uuid, amount: Money }", "amount", 0, "variable.other.property.eda"],
    ["payments.eda", "command ChargePayment { orderId: uuid, amount: Money }", ",", 0, "punctuation.separator.comma.eda"],
    ["notifications.eda", "to: email @pii", "to", 0, "variable.other.property.eda"],
  ],
  "decorators, literals and operators": [
    ["ordering.eda", "contactEmail: email @pii", "@", 0, "punctuation.decorator.eda"],
    ["ordering.eda", "contactEmail: email @pii", "pii", 0, "entity.name.function.decorator.eda"],
    ["ordering.eda", "quantity: int @min(1)", "min", 0, "entity.name.function.decorator.eda"],
    ["ordering.eda", "quantity: int @min(1)", "(", 0, "punctuation.section.arguments.begin.eda"],
    ["ordering.eda", "quantity: int @min(1)", "1", 0, "constant.numeric.decimal.eda"],
    ["ordering.eda", "quantity: int @min(1)", ")", 0, "punctuation.section.arguments.end.eda"],
    ["common.eda", 'postalCode: string @pattern("^[A-Z0-9 -]{3,10}$")', "pattern", 0, "entity.name.function.decorator.eda"],
    ["common.eda", 'postalCode: string @pattern("^[A-Z0-9 -]{3,10}$")', "^[A-Z0-9 -]{3,10}$", 0, "string.regexp.eda"],
    ["common.eda", 'postalCode: string @pattern("^[A-Z0-9 -]{3,10}$")', '"', 0, "punctuation.definition.string.begin.eda"],
    ["checkout.eda", 'on fail send CancelOrder { reason = "checkout failed" }', "checkout failed", 0, "string.quoted.double.eda"],
    ["ordering.eda", "placed: int = 0", "0", 0, "constant.numeric.decimal.eda"],
    ["ordering.eda", "placed: int = 0", "=", 0, "keyword.operator.assignment.eda"],
    ["ordering.eda", "snapshot every 50", "50", 0, "constant.numeric.decimal.eda"],
    ["checkout.eda", "timeout 30m", "30m", 0, "constant.numeric.duration.eda"],
    ["checkout.eda", "retry 3 every 2s", "2s", 0, "constant.numeric.duration.eda"],
    ["ordering.eda", "upcast OrderPlaced v1 -> v2 {", "->", 0, "keyword.operator.arrow.eda"],
    ["ordering.eda", "lines = []", "=", 0, "keyword.operator.assignment.eda"],
    ["ordering.eda", "lines = []", "[", 0, "punctuation.definition.list.begin.eda"],
    ["fulfilment.eda", "on ReserveStock emits StockReserved | StockReservationFailed", "|", 0, "keyword.operator.union.eda"],
    ["fulfilment.eda", "on ReserveStock emits StockReserved | StockReservationFailed", "StockReservationFailed", 0, "entity.name.type.event.eda"],
    ["ordering.eda", "/// Ask to place a new order for a customer.", "///", 0, "punctuation.definition.comment.eda"],
    ["ordering.eda", "/// Ask to place a new order for a customer.", " Ask to place a new order for a customer.", 0, "comment.line.documentation.eda"],
  ],
};

describe.each(Object.entries(shopCases))("the shop model: %s", (_kind, cases) => {
  it.each(cases)("%s: in `%s`, `%s` (#%i) is %s", (file, line, word, nth, scope) => {
    expect(scopeOfWord(shopLine(file, line), word, nth)).toBe(scope);
  });
});

/** [snippet, word, occurrence, innermost scope]: what the shop does not show. */
const snippetCases: [string, string, number, string][] = [
  ["// a note", "// a note".slice(2), 0, "comment.line.double-slash.eda"],
  ["type T { x: int } // a note", "//", 0, "punctuation.definition.comment.eda"],
  ["/* a\n   block */ type T {}", "   block ", 0, "comment.block.eda"],
  ["/* a\n   block */ type T {}", "type", 0, "storage.type.type.eda"],
  ["type T { /* inline */ x: int }", "x", 0, "variable.other.property.eda"],
  ["//// four slashes are a plain comment", "//// four slashes are a plain comment".slice(2), 0, "comment.line.double-slash.eda"],
  ["type T { price: Shared.Money }", "Shared", 0, "entity.name.namespace.eda"],
  ["type T { price: Shared.Money }", ".", 0, "punctuation.accessor.eda"],
  ["type T { price: Shared.Money }", "Money", 0, "entity.name.type.eda"],
  ["type T { prices: map<string, Shared.Money[]>, n: int }", "map", 0, "support.type.builtin.eda"],
  ["type T { prices: map<string, Shared.Money[]>, n: int }", "<", 0, "punctuation.definition.typeparameters.begin.eda"],
  ["type T { prices: map<string, Shared.Money[]>, n: int }", "string", 0, "support.type.primitive.eda"],
  ["type T { prices: map<string, Shared.Money[]>, n: int }", "Money", 0, "entity.name.type.eda"],
  ["type T { prices: map<string, Shared.Money[]>, n: int }", ">", 0, "punctuation.definition.typeparameters.end.eda"],
  ["type T { prices: map<string, Shared.Money[]>, n: int }", "n", 0, "variable.other.property.eda"],
  ["type T { grid: int[][] }", "[", 1, "punctuation.definition.list.begin.eda"],
  ['type T { s: string = "say \\"hi\\"\\n" }', '\\"', 0, "constant.character.escape.eda"],
  ['type T { s: string = "say \\"hi\\"\\n" }', "\\n", 0, "constant.character.escape.eda"],
  ['type T { s: string = "\\u00e9\\u{1F600}" }', "\\u00e9", 0, "constant.character.escape.eda"],
  ['type T { s: string = "\\u00e9\\u{1F600}" }', "\\u{1F600}", 0, "constant.character.escape.eda"],
  ['type T { s: string @pattern("^\\\\d+$") }', "\\\\", 0, "constant.character.escape.eda"],
  ["type T { n: float = -0.5, m: int = 1e6 }", "-0.5", 0, "constant.numeric.decimal.eda"],
  ["type T { n: float = -0.5, m: int = 1e6 }", "1e6", 0, "constant.numeric.decimal.eda"],
  ["type T { on: bool = true }", "true", 0, "constant.language.boolean.true.eda"],
  ['type T { old: string @deprecated("use new") }', "deprecated", 0, "entity.name.function.decorator.eda"],
  ['type T { old: string @deprecated("use new") }', "use new", 0, "string.quoted.double.eda"],
  ["type T { n: int @min(0) @max(10) = 5 }", "max", 0, "entity.name.function.decorator.eda"],
  ["type T { n: int @min(0) @max(10) = 5 }", "5", 0, "constant.numeric.decimal.eda"],
  ["type T { a: int; b: int }", ";", 0, "punctuation.terminator.eda"],
  ["type T { a: int; b: int }", "b", 0, "variable.other.property.eda"],
  ["type T { status: Status = Status.Open }", "Open", 0, "variable.other.enummember.eda"],
  ["upcast Ordering.OrderPlaced v1 -> v2 { a = 1 }", "Ordering", 0, "entity.name.namespace.eda"],
  ["upcast Ordering.OrderPlaced v1 -> v2 { a = 1 }", "OrderPlaced", 0, "entity.name.type.event.eda"],
  ["aggregate A {\n  on Billing.Charge emits Billing.Charged\n}", "Billing", 0, "entity.name.namespace.eda"],
  ["aggregate A {\n  on Billing.Charge emits Billing.Charged\n}", "Charge", 0, "entity.name.type.command.eda"],
  ["aggregate A {\n  on Billing.Charge emits Billing.Charged\n}", "Charged", 0, "entity.name.type.event.eda"],
  ["workflow W orchestrated {\n  step a {\n    send C { total = PaymentCaptured.amount }\n  }\n}", "PaymentCaptured", 0, "entity.name.type.eda"],
  ["workflow W orchestrated {\n  step a {\n    send C { total = PaymentCaptured.amount }\n  }\n}", "amount", 0, "variable.other.property.eda"],
  ["workflow W orchestrated {\n  step a { retry 3 every 500ms }\n}", "500ms", 0, "constant.numeric.duration.eda"],
  // Declarations spread over lines, as the parser allows.
  ["use Ordering,\n    Shipping\ntype T {}", "Shipping", 0, "entity.name.namespace.eda"],
  ["use Ordering,\n    Shipping\ntype T {}", "type", 0, "storage.type.type.eda"],
  ["event E\n  v2\n{\n  a: int\n}", "v2", 0, "constant.numeric.version.eda"],
  ["event E\n  v2\n{\n  a: int\n}", "a", 0, "variable.other.property.eda"],
  ["aggregate A {\n  state\n  {\n    a: int\n  }\n  on C emits\n    E\n}", "a", 0, "variable.other.property.eda"],
  ["aggregate A {\n  on C emits E1 |\n    E2\n}", "E2", 0, "entity.name.type.event.eda"],
  ["projection P {\n  from E1,\n    E2\n}", "E2", 0, "entity.name.type.event.eda"],
  ["workflow W orchestrated {\n  step a\n  {\n    send C\n  }\n}", "C", 0, "entity.name.type.command.eda"],
  // After an unclosed block the next declaration is still a declaration, as the parser recovers.
  ["command A {\n  x: int\ncommand B {\n  y: int\n}", "B", 0, "entity.name.type.command.eda"],
  ["command A {\n  x: int\ncommand B {\n  y: int\n}", "y", 0, "variable.other.property.eda"],
  ["workflow W orchestrated {\n  step a {\n    send C {\nevent E { x: int }", "E", 0, "entity.name.type.event.eda"],
];

describe("cases the shop does not show", () => {
  it.each(snippetCases)("in %j, %j (#%i) is %s", (text, word, nth, scope) => {
    expect(innermost(scopesOf(text, word, nth))).toBe(scope);
  });
});

describe("lexical errors are marked invalid", () => {
  it.each([
    ["type T {\n  currency: string #\n}", "#", "invalid.illegal.character.eda"],
    ['type T { a: string @pattern("^[0-9]{5}$) }', '"^[0-9]{5}$) }', "invalid.illegal.unterminated-string.eda"],
    ['type T { a: string = "open }', '"open }', "invalid.illegal.unterminated-string.eda"],
    ['type T { a: string @pattern("^\\d{5}$") }', "\\d", "invalid.illegal.escape.eda"],
    ["event E v0 { a: int }", "v0", "invalid.illegal.version.eda"],
    ["type T { a: int = 12ab }", "12ab", "invalid.illegal.number.eda"],
    ["type T { caf\u00e9: int }", "\u00e9", "invalid.illegal.character.eda"],
  ])("in %j, %j is %s", (text, word, scope) => {
    expect(innermost(scopesOf(text, word))).toBe(scope);
  });

  it("marks nothing invalid in a valid model", () => {
    const invalid = shopFiles.flatMap((f) => tokenize(shop(f)).flatMap((l) => l.tokens.filter((t) => t.scopes.some((s) => s.startsWith("invalid.")))));
    expect(invalid).toEqual([]);
  });
});

describe("keywords used as names are coloured as names", () => {
  const contextual = lexicon.KEYWORDS.filter((k) => !(lexicon.LITERAL_KEYWORDS as readonly string[]).includes(k));
  /** A position that takes a name: [description, text with `$` where the keyword goes, scope]. */
  const positions: [string, string, string][] = [
    ["field name", "type T {\n  $: string\n}", "variable.other.property.eda"],
    ["optional field name", "type T {\n  $?: string\n}", "variable.other.property.eda"],
    ["field name after a comma", "type T { a: int, $: string }", "variable.other.property.eda"],
    ["state field", "aggregate A {\n  state {\n    $: int = 0\n  }\n}", "variable.other.property.eda"],
    ["projection field", "projection P {\n  fields {\n    $: int\n  }\n}", "variable.other.property.eda"],
    ["projection key", "projection P {\n  key $: uuid\n}", "variable.other.property.eda"],
    ["stream field", "aggregate A {\n  stream $\n}", "variable.other.property.eda"],
    ["correlated field", "workflow W orchestrated {\n  correlate $\n}", "variable.other.property.eda"],
    ["enum member", "enum E { A, $, B }", "variable.other.enummember.eda"],
    ["default value", "type T { a: E = $ }", "variable.other.enummember.eda"],
    ["step name", "workflow W orchestrated {\n  step $ {\n    send C\n  }\n}", "entity.name.function.step.eda"],
    ["mapping target", "workflow W choreographed {\n  on E send C { $ = x }\n}", "variable.other.property.eda"],
    ["mapping source", "workflow W choreographed {\n  on E send C { x = $ }\n}", "variable.other.property.eda"],
    ["upcast target", "upcast E v1 -> v2 {\n  $ = 0\n}", "variable.other.property.eda"],
    ["renamed field", "upcast E v1 -> v2 {\n  a = from $\n}", "variable.other.property.eda"],
    ["declaration name", "command $ {\n  a: int\n}", "entity.name.type.command.eda"],
    ["context name", "context $", "entity.name.namespace.eda"],
    ["used context", "use A, $", "entity.name.namespace.eda"],
    ["field type", "type T {\n  a: $\n}", "entity.name.type.eda"],
    ["handled command", "aggregate A {\n  on $ emits E\n}", "entity.name.type.command.eda"],
    ["emitted event", "aggregate A {\n  on C emits E | $\n}", "entity.name.type.event.eda"],
    ["projected event", "projection P {\n  from E, $\n}", "entity.name.type.event.eda"],
    ["sent command", "workflow W orchestrated {\n  step s {\n    send $\n  }\n}", "entity.name.type.command.eda"],
    ["awaited event", "workflow W orchestrated {\n  step s {\n    await $\n  }\n}", "entity.name.type.event.eda"],
    ["start event", "workflow W orchestrated {\n  start on $\n}", "entity.name.type.event.eda"],
    ["reacted-to event", "workflow W choreographed {\n  on $ send C\n}", "entity.name.type.event.eda"],
  ];
  it.each(positions)("as a %s: every contextual keyword", (what, template, scope) => {
    const wrong: string[] = [];
    for (const keyword of contextual) {
      const text = template.replace("$", keyword);
      const lines = template.slice(0, template.indexOf("$")).split("\n");
      const scopes = scopeAt(text, lines.length, (lines[lines.length - 1] ?? "").length);
      if (innermost(scopes) !== scope || scopes.some(isKeywordScope)) wrong.push(`${keyword}: ${innermost(scopes)}`);
    }
    // `on complete send` and `on fail send` are clauses, not reactions to an event named so.
    const expected = what === "reacted-to event" ? ["fail: keyword.control.fail.eda", "complete: keyword.control.complete.eda"] : [];
    expect(wrong).toEqual(expected);
  });
});

describe("the reviewed snapshot of the shop's scopes", () => {
  const golden = join(repoRoot, "test/vscode/shop.scopes.txt");

  it("matches test/vscode/shop.scopes.txt (EDA_UPDATE_GOLDEN=1 rewrites it)", async () => {
    const grammar = await loadGrammar();
    const actual = shopFiles.map((f) => `=== examples/shop/${f}\n${formatScopes(tokenizeText(grammar, shop(f)))}`).join("\n");
    if (process.env["EDA_UPDATE_GOLDEN"] === "1") writeFileSync(golden, actual);
    expect(existsSync(golden), "the snapshot is missing: run `pnpm test:update` and review it").toBe(true);
    expect(actual).toBe(readFileSync(golden, "utf8"));
  });
});
