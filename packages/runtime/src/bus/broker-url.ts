/**
 * Broker URLs with several addresses, for clusters: `amqp://user:pass@host1:5672,host2:5672/vhost`
 * or `nats://host1:4222,host2:4222/STREAM`. The WHATWG `URL` parser takes one host only, so the
 * address list is split off first and every address is checked as a URL of its own.
 */

/** One parsed broker URL. */
export interface BrokerUrl {
  /** `amqp:`, `amqps:`, `nats:`, `tls:` … */
  readonly scheme: string;
  /** Percent-decoded user and password ("" when absent). */
  readonly username: string;
  readonly password: string;
  /** `host:port` of each address, in the order given (a port may be absent). */
  readonly addresses: readonly string[];
  /** Percent-decoded path without its leading slash ("" when absent). */
  readonly path: string;
  /** Query parameters (the first value of each). */
  readonly params: ReadonlyMap<string, string>;
  /** One single-address URL per address, with credentials, path and query, for drivers that take one. */
  readonly urls: readonly string[];
  /** The whole URL with its password masked, for logs and errors. */
  readonly shown: string;
}

/** Thrown for a URL that does not parse as a broker URL; the message never holds the password. */
export class BrokerUrlError extends Error {
  override readonly name = "BrokerUrlError";
}

const SHAPE = /^([a-z][a-z0-9+.-]*:)\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/i;

/** Parses `scheme://[user[:pass]@]host[:port][,host[:port]…][/path][?query]`. */
export function parseBrokerUrl(url: string): BrokerUrl {
  const match = SHAPE.exec(url.trim());
  if (match === null) throw new BrokerUrlError("it is not of the form scheme://[user:password@]host[:port][,host[:port]…][/path]");
  const [, scheme = "", userinfo, hostList = "", rawPath = "", search = ""] = match;
  const hosts = hostList.split(",").map((h) => h.trim());
  if (hosts.some((h) => h === "")) throw new BrokerUrlError("an address in the host list is empty");
  const auth = userinfo === undefined ? "" : `${userinfo}@`;
  const urls = hosts.map((host) => `${scheme}//${auth}${host}${rawPath}${search}`);
  for (const single of urls) {
    try {
      new URL(single);
    } catch {
      throw new BrokerUrlError(`the address ${JSON.stringify(hostOf(single))} is not a valid host[:port]`);
    }
  }
  const [user = "", pass] = (userinfo ?? "").split(/:(.*)/s, 2);
  const maskedAuth = userinfo === undefined ? "" : pass === undefined ? `${user}@` : `${user}:***@`;
  return {
    scheme: scheme.toLowerCase(),
    username: decode(user),
    password: decode(pass ?? ""),
    addresses: hosts,
    path: decode(rawPath.replace(/^\//, "")),
    params: new Map(new URLSearchParams(search).entries()),
    urls,
    shown: `${scheme}//${maskedAuth}${hosts.join(",")}${rawPath}${search}`,
  };
}

/** The same URL with one query parameter removed (for drivers that reject unknown ones). */
export function withoutParam(url: string, name: string): string {
  const at = url.indexOf("?");
  if (at === -1) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  params.delete(name);
  const rest = params.toString();
  return rest === "" ? url.slice(0, at) : `${url.slice(0, at)}?${rest}`;
}

function hostOf(single: string): string {
  return single.replace(/^[^:]+:\/\/(?:[^@/?#]*@)?/, "").replace(/[/?#].*$/, "");
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
