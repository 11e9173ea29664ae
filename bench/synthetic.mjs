/**
 * A deterministic generator of synthetic `.eda` models for the benchmarks and tests.
 *
 * `generateModel(contexts, seed)` writes `contexts` bounded contexts that look like a real system
 * grown over time: value types with constraints, enums, commands, events with three versions and
 * upcasts (defaults, renames, `compute`), aggregates with state and snapshots, services,
 * projections, an orchestrated workflow with steps and compensations, a choreography, doc
 * comments, `use` of a neighbouring context and qualified names of others. Every model it writes
 * checks clean — no errors and no warnings (`packages/language/test/synthetic.test.ts` holds it
 * to that). The seed varies the words, the optional parts and the number of records per context;
 * the same arguments always give the same bytes. About 10 kB per context: 500 contexts ≈ 5 MB.
 *
 * Pure: no file system. Plain ESM so that `pnpm bench` runs it without a build step.
 */
import { contextNames, createRandom, lowerFirst } from "./synthetic-words.mjs";

/**
 * @typedef {{ path: string, text: string }} GeneratedSource
 * @typedef {{ files: GeneratedSource[], bytes: number }} GeneratedModel
 * @typedef {{ context: string, entity: string }} ContextName
 */

const THINGS = ["Note", "Document", "Review", "Dispute", "Adjustment", "Inspection", "Attachment", "Rating", "Estimate", "Survey"];

/**
 * Generates a model of `contexts` bounded contexts, four files each.
 * @param {number} contexts how many contexts, at least 1
 * @param {number} [seed] varies words and optional parts; the same seed gives the same bytes
 * @param {{ shapes?: boolean, longNames?: boolean }} [options] `shapes`: add four small contexts of the shapes a model may
 *   also have — an empty one, one with only types, one with events and a projection but no
 *   commands, one with only a choreography (of the first context's messages). `longNames`: each
 *   context's names get a prefix of 0 to 60 letters (drawn per context), so that the declarations'
 *   names run from short to well past 60 characters — the generated code's layout must hold for both
 * @returns {GeneratedModel}
 */
export function generateModel(contexts, seed = 1, options = {}) {
  if (!Number.isInteger(contexts) || contexts < 1) throw new Error(`generateModel needs a whole number of contexts, at least 1, not ${contexts}`);
  const random = createRandom(seed);
  const names = options.longNames ? contextNames(contexts, random).map((n) => lengthen(n, random)) : contextNames(contexts, random);
  const files = [];
  names.forEach((name, i) => {
    const at = (offset) => names[(i + offset + contexts) % contexts];
    const neighbours = {
      /** `use`d by the flows file: its names appear unqualified. */
      used: contexts > 1 ? at(1) : undefined,
      /** Named with `Context.Name`, never `use`d. */
      qualified: contexts > 2 ? at(2) : undefined,
      /** Its events feed this context's choreography. */
      previous: at(-1),
    };
    const records = random.pick([1, 2, 2, 3]);
    const things = random.shuffle(THINGS).slice(0, records);
    const dir = `contexts/${kebab(name.context)}`;
    const g = { name, neighbours, things, random };
    files.push({ path: `${dir}/types.eda`, text: typesFile(g) });
    files.push({ path: `${dir}/messages.eda`, text: messagesFile(g) });
    files.push({ path: `${dir}/behaviour.eda`, text: behaviourFile(g) });
    files.push({ path: `${dir}/flows.eda`, text: flowsFile(g) });
  });
  if (options.shapes) files.push(...shapeFiles(names[0], random));
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text, "utf8"), 0);
  return { files, bytes };
}

/**
 * Whole models of the small shapes alone, which have no commands or no events at all: an empty
 * context, types only, events and a projection only.
 * @returns {{ name: string, files: GeneratedSource[] }[]}
 */
export function shapeModels() {
  const [empty, types, events] = shapeFiles({ context: "Unused", entity: "Unused" }, createRandom(1));
  return [
    { name: "empty", files: [empty] },
    { name: "types-only", files: [types] },
    { name: "no-commands", files: [events] },
    { name: "no-events", files: [empty, types] },
  ];
}

/** The small contexts of `options.shapes`; the choreography reacts to `first`'s messages. */
function shapeFiles(first, random) {
  const E = first.entity;
  const tag = random.pick(["A", "B", "C"]);
  return [
    { path: "shapes/empty.eda", text: `/// A context that declares nothing yet.\ncontext ShapeEmpty${tag}\n` },
    {
      path: "shapes/types.eda",
      text: [`context ShapeTypes${tag}`, "", "enum Grade { Low, High }", "", "/// A value with no messages around it.", "type Measure {", "  value: decimal @min(0)", "  grade: Grade = Low", "  tags: string[] = []", "}", ""].join("\n"),
    },
    {
      path: "shapes/events.eda",
      text: [
        `context ShapeEvents${tag}`,
        "",
        "/// Imported from elsewhere: no command here emits it.",
        "event ReadingTaken { sensorId: uuid, value: float }",
        "",
        "projection LatestReading {",
        "  key sensorId: uuid",
        "  fields { value: float = 0 }",
        "  from ReadingTaken",
        "}",
        "",
      ].join("\n"),
    },
    {
      path: "shapes/flows.eda",
      text: [`context ShapeFlows${tag}`, "", "workflow Echo choreographed {", `  on ${first.context}.${E}Released send ${first.context}.Audit${E}Activity { source = "shapes" }`, "}", ""].join("\n"),
    },
  ];
}

const PREFIX_LENGTHS = [0, 0, 12, 24, 40, 60];

/** `name` with a prefix of qualifiers of a drawn length, the same for the context and its entity. */
function lengthen(name, random) {
  const length = random.pick(PREFIX_LENGTHS);
  let prefix = "";
  while (prefix.length < length) prefix += random.pick(["Overseas", "Cooperative", "Municipal", "Seasonal", "Regional"]);
  return { context: `${prefix}${name.context}`, entity: `${prefix}${name.entity}` };
}

function kebab(s) {
  return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** The stream field of the context's main aggregate: `northParcelId`. */
function idOf(entity) {
  return `${lowerFirst(entity)}Id`;
}

function header(g, doc) {
  return [...(doc ? [`/// ${doc}`] : []), `context ${g.name.context}`, ""];
}

function typesFile(g) {
  const E = g.name.entity;
  const words = E.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const used = g.neighbours.used;
  const out = header(g, `${g.name.context}: ${words} requests from opening to closing, with their stock allocations.`);
  out.push(
    `/// How a ${words} request reached us.`,
    `enum ${E}Channel {`,
    "  /// Placed on the web site.",
    "  Web,",
    "  Phone,",
    "  /// Sent by a partner over the API.",
    "  Partner",
    "}",
    "",
    `enum ${E}Status { Draft, Submitted, Approved, Closed, Cancelled }`,
    "",
    `enum ${E}Priority { Low, Normal, High, Urgent }`,
    "",
    `enum ${E}AllocationStatus { Free, Held, Released }`,
    "",
    "/// An amount of money in minor units (cents), never a float.",
    `type ${E}Money {`,
    `  amountMinor: int @min(0)`,
    `  /// ISO 4217 code.`,
    `  currency: string @pattern("^[A-Z]{3}$")`,
    "}",
    "",
    `type ${E}Address {`,
    "  line1: string @maxLength(120)",
    "  line2?: string @maxLength(120)",
    "  city: string @minLength(1)",
    '  postalCode: string @pattern("^[A-Z0-9 -]{3,10}$")',
    '  country: string @pattern("^[A-Z]{2}$")',
    "}",
    "",
    `/// Who to talk to about a ${words}.`,
    `type ${E}Contact {`,
    "  name: string @minLength(1) @maxLength(200)",
    "  email: email @pii",
    '  phone?: string @pii @pattern("^[+][0-9]{8,15}$")',
    "}",
    "",
    `type ${E}Line {`,
    '  sku: string @pattern("^[A-Z0-9-]{3,32}$")',
    `  quantity: int @min(1) @max(${g.random.pick([100, 1000, 10000])})`,
    `  unitPrice: ${E}Money`,
    ...(used ? [`  /// Where the supplier ships from; an address of the ${used.context} context.`, `  shipFrom?: ${used.context}.${used.entity}Address`] : []),
    "}",
    "",
    "/* Commercial terms: defaults apply when a request names none. */",
    `type ${E}Terms {`,
    `  payWithin: duration = ${g.random.pick(["14d", "30d", "60d"])}`,
    "  discount: decimal = 0 @min(0) @max(100)",
    "  validUntil?: date",
    "  website?: url",
    "  attributes?: map<string, string>",
    "  extra?: json",
    "}",
    "",
  );
  return out.join("\n");
}

function messagesFile(g) {
  const E = g.name.entity;
  const id = idOf(E);
  const out = header(g);
  out.push(
    `/// Open a new ${E} for a customer.`,
    `command Open${E} {`,
    `  ${id}: uuid`,
    `  holder: ${E}Contact`,
    `  lines: ${E}Line[] @minItems(1) @maxItems(200)`,
    `  channel: ${E}Channel = Web`,
    `  terms?: ${E}Terms`,
    `  shipTo?: ${E}Address`,
    "}",
    "",
    `/// Hand the ${E} over for fulfilment; starts the ${E}Fulfilment workflow.`,
    `command Submit${E} {`,
    `  ${id}: uuid`,
    "  requestId: uuid",
    "  quantity: int @min(1)",
    "  contactEmail: email @pii",
    `  total: ${E}Money`,
    "}",
    "",
    `command Approve${E} { ${id}: uuid, requestId: uuid, approver?: string @maxLength(200) }`,
    `command Close${E} { ${id}: uuid, closedAt: timestamp, note?: string @maxLength(500) }`,
    `command Cancel${E} { ${id}: uuid, reason: string @maxLength(500) }`,
    "",
    `/// Hold stock for a request of another context.`,
    `command Reserve${E} {`,
    "  requestId: uuid",
    "  quantity: int @min(1)",
    `  priority: ${E}Priority = Normal`,
    "  note?: string",
    "}",
    "",
    `command Release${E} { requestId: uuid, reason?: string }`,
    `command Notify${E}Owner { ${id}: uuid, to: email @pii, subject: string = "Your request" @maxLength(200) }`,
    `command Audit${E}Activity { requestId: uuid, source: string = "choreography" }`,
    "",
    ...openedVersions(E, id),
    ...closedVersions(E, id),
    `/// Fulfilment was asked for; the ${E}Fulfilment workflow takes it from here.`,
    `event ${E}Submitted {`,
    `  ${id}: uuid`,
    "  requestId: uuid",
    "  quantity: int",
    "  contactEmail: email @pii",
    `  total: ${E}Money`,
    `  lines?: ${E}Line[]`,
    "}",
    "",
    `event ${E}Approved { ${id}: uuid, requestId: uuid, approvedAt: timestamp, approver?: string }`,
    `event ${E}Cancelled { ${id}: uuid, reason: string }`,
    `event ${E}Reserved { requestId: uuid, quantity: int, reservedAt?: timestamp }`,
    `event ${E}ReservationFailed { requestId: uuid, reason: string }`,
    `event ${E}Released { requestId: uuid }`,
    `event ${E}OwnerNotified { ${id}: uuid, sentAt?: timestamp }`,
    `event ${E}ActivityAudited { requestId: uuid, source: string }`,
    "",
  );
  for (const thing of g.things) out.push(...recordMessages(E, thing));
  return out.join("\n");
}

function openedVersions(E, id) {
  return [
    "/// The first shape: one owner name and a total in cents, still found in old streams.",
    `event ${E}Opened v1 {`,
    `  ${id}: uuid`,
    "  ownerName: string",
    "  amountCents: int",
    "}",
    "",
    `event ${E}Opened v2 {`,
    `  ${id}: uuid`,
    "  holderName: string",
    `  amount: ${E}Money`,
    `  channel: ${E}Channel`,
    "}",
    "",
    `/// The current shape: tags and the time the ${E} was opened.`,
    `event ${E}Opened v3 {`,
    `  ${id}: uuid`,
    "  holderName: string",
    `  amount: ${E}Money`,
    `  channel: ${E}Channel`,
    "  tags: string[]",
    "  openedAt: timestamp",
    '  legacyCode?: string @deprecated("use tags")',
    "}",
    "",
    "/// v1 knew only web requests in euro cents.",
    `upcast ${E}Opened v1 -> v2 {`,
    "  holderName = from ownerName",
    "  amount = compute",
    "  channel = Web",
    "}",
    "",
    `upcast ${E}Opened v2 -> v3 {`,
    "  tags = []",
    "  /// Taken from the envelope's time.",
    "  openedAt = compute",
    "}",
    "",
  ];
}

function closedVersions(E, id) {
  return [
    `event ${E}Closed v1 { ${id}: uuid, closedOn: date }`,
    "",
    `event ${E}Closed v2 {`,
    `  ${id}: uuid`,
    "  closedAt: timestamp",
    "  contactEmail: email @pii",
    "  note?: string",
    "}",
    "",
    `upcast ${E}Closed v1 -> v2 { closedAt = compute, contactEmail = compute }`,
    "",
  ];
}

/** A small record kept beside the main aggregate: registered, revised (two versions), indexed. */
function recordMessages(E, thing) {
  const rid = `${lowerFirst(thing)}Id`;
  return [
    `/// Attach a ${thing.toLowerCase()} to a ${E}.`,
    `command Register${E}${thing} {`,
    `  ${rid}: uuid`,
    `  ${idOf(E)}: uuid`,
    "  title: string @minLength(1) @maxLength(200)",
    "  body?: string",
    "}",
    "",
    `command Revise${E}${thing} { ${rid}: uuid, title: string @minLength(1), revision: int @min(1) }`,
    "",
    `event ${E}${thing}Registered { ${rid}: uuid, ${idOf(E)}: uuid, title: string, body?: string }`,
    "",
    `event ${E}${thing}Revised v1 { ${rid}: uuid, heading: string }`,
    `event ${E}${thing}Revised v2 { ${rid}: uuid, title: string, revision: int }`,
    "",
    `/// v1 called the title a heading and had no revision numbers.`,
    `upcast ${E}${thing}Revised v1 -> v2 { title = from heading, revision = 1 }`,
    "",
  ];
}

function behaviourFile(g) {
  const E = g.name.entity;
  const id = idOf(E);
  const out = header(g);
  out.push(
    `/// One ${E} from opening to closing.`,
    `aggregate ${E} {`,
    `  stream ${id}`,
    "  state {",
    `    status: ${E}Status = Draft`,
    "    holderName?: string",
    `    total?: ${E}Money`,
    "    tags: string[] = []",
    "    approvals: int = 0 @min(0)",
    "  }",
    `  on Open${E} emits ${E}Opened`,
    `  on Submit${E} emits ${E}Submitted`,
    `  on Approve${E} emits ${E}Approved`,
    `  on Close${E} emits ${E}Closed`,
    `  on Cancel${E} emits ${E}Cancelled`,
    `  snapshot every ${g.random.pick([20, 50, 100])}`,
    "}",
    "",
    "/// Stock held for one request, whichever context asked.",
    `aggregate ${E}Allocation {`,
    "  stream requestId",
    `  state { status: ${E}AllocationStatus = Free; held: int = 0 }`,
    `  on Reserve${E} emits ${E}Reserved | ${E}ReservationFailed`,
    `  on Release${E} emits ${E}Released`,
    "  snapshot every 100",
    "}",
    "",
    "/// Sends e-mail and keeps no state of its own.",
    `service ${E}Notifier {`,
    `  on Notify${E}Owner emits ${E}OwnerNotified`,
    "}",
    "",
    `service ${E}Auditor { on Audit${E}Activity emits ${E}ActivityAudited }`,
    "",
    `/// One row per ${E}, for the back office.`,
    `projection ${E}Summary {`,
    `  key ${id}: uuid`,
    "  fields {",
    "    opened: int = 0",
    "    approved: int = 0",
    `    status: ${E}Status = Draft`,
    "    lastApprovedAt?: timestamp",
    "  }",
    `  from ${E}Opened, ${E}Approved, ${E}Closed`,
    "}",
    "",
  );
  for (const thing of g.things) out.push(...recordBehaviour(E, thing));
  return out.join("\n");
}

function recordBehaviour(E, thing) {
  const rid = `${lowerFirst(thing)}Id`;
  return [
    `aggregate ${E}${thing} {`,
    `  stream ${rid}`,
    "  state {",
    "    title?: string",
    "    revision: int = 0",
    "  }",
    `  on Register${E}${thing} emits ${E}${thing}Registered`,
    `  on Revise${E}${thing} emits ${E}${thing}Revised`,
    "}",
    "",
    `projection ${E}${thing}Index {`,
    `  key ${rid}: uuid`,
    "  fields { title?: string, revisions: int = 0 }",
    `  from ${E}${thing}Registered, ${E}${thing}Revised`,
    "}",
    "",
  ];
}

function flowsFile(g) {
  const E = g.name.entity;
  const { used, qualified, previous } = g.neighbours;
  const out = header(g);
  if (used) out.splice(out.length - 1, 0, `use ${used.context}`);
  out.push(
    `/// Fulfils a submitted ${E}: holds stock here${used ? ` and in ${used.context}` : ""}${qualified ? ` and ${qualified.context}` : ""}, then approves it.`,
    "/// When a step fails, the holds already taken are released in reverse order.",
    `workflow ${E}Fulfilment orchestrated {`,
    `  start on ${E}Submitted`,
    "  correlate requestId",
    `  timeout ${g.random.pick(["15m", "30m", "2h"])}`,
    "",
    "  /// Our own stock first.",
    `  step reserve${E} {`,
    `    send Reserve${E}`,
    `    await ${E}Reserved`,
    `    fail on ${E}ReservationFailed`,
    `    compensate Release${E}`,
    "  }",
  );
  if (used) out.push(...reserveStep(used.entity, "", `{ note = "for ${E}" }`, "", "retry 3 every 2s"));
  if (qualified) out.push(...reserveStep(qualified.entity, `${qualified.context}.`, "{ priority = High }", ` { reason = "${E} fulfilment compensated" }`, ""));
  out.push(
    "",
    `  step approve${E} {`,
    `    send Approve${E}`,
    `    await ${E}Approved`,
    "  }",
    "",
    `  on complete send Close${E} { closedAt = ${E}Approved.approvedAt }`,
    `  on fail send Cancel${E} { reason = "fulfilment failed" }`,
    "}",
    "",
    "// No coordinator here: each rule reacts to one fact.",
    `workflow ${E}Notifications choreographed {`,
    `  /// Tell the owner once the ${E} is closed.`,
    `  on ${E}Closed send Notify${E}Owner { to = contactEmail }`,
    `  on ${E}Approved send Notify${E}Owner { to = "back-office@example.com", subject = "Approved" }`,
    previous === g.name ? `  on ${E}Released send Audit${E}Activity` : `  on ${previous.context}.${previous.entity}Released send Audit${E}Activity`,
    "}",
    "",
    "/// Holds per request, ours and those we asked for.",
    `projection ${E}RequestLedger {`,
    "  key requestId: uuid",
    "  fields {",
    "    reserved: int = 0",
    "    released: int = 0",
    "  }",
    `  from ${E}Reserved, ${E}Released${used ? `, ${used.entity}Reserved` : ""}`,
    "}",
    "",
  );
  return out.join("\n");
}

function reserveStep(entity, prefix, mapping, compensateMapping, retry) {
  return [
    "",
    `  step reserve${entity} {`,
    `    send ${prefix}Reserve${entity} ${mapping}`,
    `    await ${prefix}${entity}Reserved`,
    `    fail on ${prefix}${entity}ReservationFailed`,
    `    compensate ${prefix}Release${entity}${compensateMapping}`,
    ...(retry ? [`    ${retry}`] : []),
    "  }",
  ];
}
