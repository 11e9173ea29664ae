/**
 * Credentials never reach a message. A store or bus URL may be malformed, of an unknown scheme,
 * or hold an unencoded `@`, `:` or `/` in its password — so masking cannot rely on a URL parser:
 * it works on the text. In every token that holds an `@`, whatever sits between the user name's
 * `:` and the last `@` is replaced; so are `password=`-like query parameters. Over-masking an
 * unusual token is the price of never printing a secret.
 */

/** What a masked secret reads. */
export const MASK = "***";

/** A run of characters that may be (part of) a URL: no spaces, quotes or brackets around it. */
const TOKEN = /[^\s"'`<>(){},;]*@[^\s"'`<>(){},;]*/g;
const SECRET_PARAMETER = /([?&](?:password|passwd|pass|pwd|sslpassword|sslkey|secret|token|api[_-]?key)=)[^&#\s"'`]*/gi;

/** `text` with the password of every URL-like token in it masked. */
export function maskCredentials(text: string): string {
  return text.replace(TOKEN, maskToken).replace(SECRET_PARAMETER, `$1${MASK}`);
}

function maskToken(token: string): string {
  const at = token.lastIndexOf("@");
  const head = token.slice(0, at);
  const scheme = head.indexOf("://");
  const userStart = scheme >= 0 ? scheme + 3 : 0;
  const colon = head.indexOf(":", userStart);
  // No `user:` before the `@` (an e-mail address, `user@host`): nothing secret.
  if (colon < 0) return token;
  return `${head.slice(0, colon + 1)}${MASK}${token.slice(at)}`;
}

/** Masks a URL for logs and errors (same as `maskCredentials`, named for what it is given). */
export function redactUrl(url: string): string {
  return maskCredentials(url);
}

/**
 * A copy of an error that is safe to print: message and stack masked, own properties other than
 * `code` dropped (Node's URL errors carry the raw `input`), and the same for its causes.
 */
export function maskedError(error: unknown, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(maskCredentials(String(error)));
  const copy = new Error(maskCredentials(error.message), depth < 4 && error.cause !== undefined ? { cause: maskedError(error.cause, depth + 1) } : undefined);
  copy.name = error.name;
  copy.stack = maskCredentials(error.stack ?? `${error.name}: ${error.message}`);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}
