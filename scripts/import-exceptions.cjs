/**
 * What the import rules (`.dependency-cruiser.cjs`) know about the generator's modules, and the
 * exceptions they allow today. `test/import-rules.test.ts` checks that every emitter is listed
 * and that every exception is still a real import, so the exceptions can only shrink. No emitter
 * imports another: every name they share is decided once by the lowering (`src/lower/`).
 */

/** The generator's emitters: each makes one kind of file and is called by `generate.ts` or `scaffold`. */
const EMITTERS = ["aggregates", "alerts", "app", "codec", "dashboard", "decisions", "diagrams", "index-module", "json-schema", "projections", "registry", "scaffolds", "schemas", "services", "support", "testing", "upcasters", "workflows"];

/**
 * Node built-ins that language or generator import today, each a computation no file system or
 * process is behind; the list may only shrink.
 */
const KNOWN_BUILTIN_IMPORTS = [
  { from: "^packages/generator/src/emit/registry\\.ts$", file: "packages/generator/src/emit/registry.ts", allowed: "crypto", why: "SHA-256 of each stored shape for the registry manifest (generate is synchronous, so WebCrypto's digest does not fit)." },
];

module.exports = { EMITTERS, KNOWN_BUILTIN_IMPORTS };
