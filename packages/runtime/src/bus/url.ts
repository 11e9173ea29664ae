/** URL helpers for bus configuration. */

/**
 * Masks the password of a URL for logs and errors. A URL the WHATWG parser rejects (one with
 * several broker addresses, `amqp://u:p@h1,h2/`) has its `user:password@` part masked as text.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, "$1:***@");
  }
}
