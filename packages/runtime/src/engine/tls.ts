/**
 * TLS of a database or broker connection, given beside its URL: the CA the server's certificate must chain
 * to, and for mutual TLS the client's certificate and key, all as PEM text (read the files
 * yourself, e.g. from a mounted secret). The URL's scheme still says whether TLS is used where the
 * protocol has two (`amqps://`); NATS upgrades the connection when these are given.
 */
export interface TlsOptions {
  /** The CA certificate(s) (PEM) that the server's certificate must chain to. */
  readonly ca?: string;
  /** The client certificate (PEM) for mutual TLS, with `key`. */
  readonly cert?: string;
  /** The client certificate's private key (PEM). */
  readonly key?: string;
}
