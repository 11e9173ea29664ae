// Compiles a built-in Handlebars template to one plain function `(context) => string` (its source
// text), for the generator's own rendering: the constructs the built-in templates use —
// `{{path}}`, `{{this}}`, `{{#each}}`, `{{#if}}` (with `{{else}}`), `{{> partial}}` and
// `{{> partial path}}` — become calls of src/render/template-runtime.ts, which does what
// Handlebars' runtime does for them in strict mode with noEscape. Handlebars' own parser reads
// the template (so whitespace control and standalone lines are its own); anything else is refused
// here, at build time, rather than rendered differently.
import Handlebars from "handlebars";

/** Names a mustache would call as a helper before reading a field: refused as field names. */
const HELPERS = new Set(["each", "if", "unless", "with", "log", "lookup", "helperMissing", "blockHelperMissing"]);

/** The source of a function rendering `text`; `partial(name)` is the expression of a partial's function. */
export function templateJs(text, file, partial) {
  const ast = Handlebars.parse(text);
  return `(c) => ${program(ast, { file, partial })}`;
}

function program(node, env) {
  const parts = node.body.map((s) => statement(s, env)).filter((p) => p !== undefined);
  return parts.length === 0 ? '""' : `"" + ${parts.join(" + ")}`;
}

function statement(s, env) {
  switch (s.type) {
    case "ContentStatement":
      return s.value === "" ? undefined : JSON.stringify(s.value);
    case "CommentStatement":
      return undefined;
    case "MustacheStatement":
      if (s.params.length > 0 || s.hash !== undefined) refuse(s, env, "a helper call");
      return `T.text(${mustachePath(s.path, env)})`;
    case "BlockStatement":
      return block(s, env);
    case "PartialStatement":
      if (s.hash !== undefined || s.params.length > 1 || s.indent !== "" || s.name.type !== "PathExpression") refuse(s, env, "this partial call");
      return `T.text(${env.partial(s.name.original)}(${s.params.length === 0 ? "c" : paramPath(s.params[0], env)}))`;
    default:
      return refuse(s, env, s.type);
  }
}

/** `{{#each x}}` and `{{#if x}}`, each with an optional `{{else}}`. */
function block(s, env) {
  const helper = s.path.original;
  if ((helper !== "each" && helper !== "if") || s.params.length !== 1 || s.hash !== undefined || s.program.blockParams) refuse(s, env, `{{#${helper}}}`);
  const body = `(c) => ${program(s.program, env)}`;
  const inverse = s.inverse === undefined ? "undefined" : `(c) => ${program(s.inverse, env)}`;
  return `${helper === "each" ? "T.each" : "T.when"}(${paramPath(s.params[0], env)}, c, ${body}, ${inverse})`;
}

/** A mustache's path: the last part read strictly (a missing field is an error), as Handlebars' strict mode. */
function mustachePath(path, env) {
  checkPath(path, env);
  if (path.parts.length === 0) return "T.self(c)";
  if (path.parts.length === 1 && HELPERS.has(path.parts[0])) refuse(path, env, `a field named ${path.parts[0]}`);
  let expr = "c";
  path.parts.forEach((part, i) => {
    expr = i === path.parts.length - 1 ? `T.strict(${expr}, ${JSON.stringify(part)})` : `T.get(${expr}, ${JSON.stringify(part)})`;
  });
  return expr;
}

/** A helper's or partial's parameter: read without strictness, as Handlebars reads them. */
function paramPath(path, env) {
  if (path.type !== "PathExpression") refuse(path, env, "a parameter that is not a path");
  checkPath(path, env);
  return path.parts.reduce((expr, part) => `T.get(${expr}, ${JSON.stringify(part)})`, "c");
}

function checkPath(path, env) {
  if (path.type !== "PathExpression" || path.data || path.depth !== 0) refuse(path, env, `the path ${path.original}`);
}

function refuse(node, env, what) {
  const at = node.loc ? `:${node.loc.start.line}` : "";
  throw new Error(`${env.file}${at}: the built-in templates' compiler does not know ${what}; use Handlebars' runtime for it or extend scripts/template-js.mjs`);
}
