/**
 * A throw-away certificate authority for TLS tests, made with openssl in `dir`: `ca.pem`
 * (+ `ca.key`), a server certificate for 127.0.0.1/localhost (`server.pem`, `server.key`) and a
 * client certificate whose CN is `clientName` (`client.pem`, `client.key`), both signed by it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export function makeTestCertificates(dir: string, clientName: string): (file: string) => string {
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=eda test CA");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  for (const [who, cn] of [["server", "localhost"], ["client", clientName]] as const) {
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${who}.key`, "-out", `${who}.csr`, "-subj", `/CN=${cn}`);
    const ext = who === "server" ? ["-extfile", "server.ext"] : [];
    ssl("x509", "-req", "-in", `${who}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${who}.pem`, "-days", "1", ...ext);
  }
  return (file) => readFileSync(join(dir, file), "utf8");
}

/** A TCP port free at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
