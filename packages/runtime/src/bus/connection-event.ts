/** What a broker connection tells its owner about its life, for logs (`bus-connection-lost`, …). */
export type ConnectionEvent =
  | { readonly kind: "lost"; readonly error: Error | null }
  | { readonly kind: "reconnected"; readonly attempt: number; /** The address now in use (masked), when there are several. */ readonly address?: string }
  | { readonly kind: "reconnect-failed"; readonly attempt: number; readonly error: unknown };
