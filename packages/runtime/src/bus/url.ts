/** URL helpers for bus configuration. */

/** Masks the password of a URL for logs and errors; returns the input if it does not parse. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
