/**
 * TLS to PostgreSQL, beside the URL: a cluster of the test's own (initdb in a temporary
 * directory, another port, run as the `postgres` system user) with `ssl = on`, a test CA
 * generated here by openssl, and `pg_hba.conf` admitting only TLS connections that present a
 * client certificate signed by that CA (`cert` authentication: its CN is the user). Needs root to
 * run the cluster as `postgres`; skipped, with the reason, where it cannot.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, makeTestCertificates } from "../support/test-ca.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresEventStore } from "../../src/store/postgres-store.js";
import { StoreUnavailableError } from "../../src/store/event-store.js";
import { newEvent } from "./support.js";

const postgresUser = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
const canRun = process.getuid?.() === 0 && postgresUser.status === 0;
let dir = "";
let data = "";
let port = 0;
let pem: (file: string) => string = () => "";
const asPostgres = (...args: string[]): string => execFileSync("runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(async () => {
  if (!canRun) return;
  dir = mkdtempSync(join(tmpdir(), "eda-pg-tls-"));
  chmodSync(dir, 0o755);
  pem = makeTestCertificates(dir, "postgres");
  data = join(dir, "data");
  mkdirSync(data, { mode: 0o700 });
  const uid = Number(postgresUser.stdout.trim());
  for (const path of [data, join(dir, "server.key"), join(dir, "server.pem"), join(dir, "ca.pem")]) chownSync(path, uid, -1);
  chmodSync(join(dir, "server.key"), 0o600);
  asPostgres("initdb", "-D", data, "-U", "postgres", "--auth=trust");
  writeFileSync(join(data, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 cert\nhost all all 127.0.0.1/32 reject\n");
  port = await freePort();
  const settings = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${data}`, "-c ssl=on",
    `-c ssl_cert_file=${join(dir, "server.pem")}`, `-c ssl_key_file=${join(dir, "server.key")}`, `-c ssl_ca_file=${join(dir, "ca.pem")}`].join(" ");
  asPostgres("pg_ctl", "-D", data, "-o", settings, "-l", join(data, "log"), "-w", "-t", "60", "start");
}, 120_000);

afterAll(() => {
  if (data !== "") spawnSync("runuser", ["-u", "postgres", "--", "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], { stdio: "ignore" });
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

// CI (.ci/run sets EDA_CI) runs as root: there, a skip would hide the suite.
it.runIf(process.env["EDA_CI"] === "1" && !canRun)("runs in CI, which gives it root and a postgres user", () => {
  throw new Error("the TLS suite needs root and the postgres system user (runuser -u postgres): it would be skipped");
});

describe.skipIf(!canRun)("postgres store over TLS (the test's own cluster, its own CA, client certificates required)", () => {
  const url = (): string => `postgres://postgres@127.0.0.1:${port}/postgres`;

  it("appends and reads with the CA and a client certificate (mutual TLS, cert authentication)", async () => {
    const store = await PostgresEventStore.open(url(), { tls: { ca: pem("ca.pem"), cert: pem("client.pem"), key: pem("client.key") }, listen: false });
    try {
      await store.append("tls-1", [newEvent("Noted", { text: "over TLS" })], { kind: "no-stream" });
      expect((await store.readStream("tls-1")).map((e) => e.payload)).toEqual([{ text: "over TLS" }]);
    } finally {
      await store.close();
    }
  });

  it("is refused without a client certificate, and without TLS", async () => {
    await expect(PostgresEventStore.open(url(), { tls: { ca: pem("ca.pem") }, connectTimeoutMs: 3_000 })).rejects.toThrow(StoreUnavailableError);
    await expect(PostgresEventStore.open(url(), { connectTimeoutMs: 3_000 })).rejects.toThrow(StoreUnavailableError);
  });

  it("refuses a server whose certificate does not chain to the given CA", async () => {
    await expect(PostgresEventStore.open(url(), { tls: { cert: pem("client.pem"), key: pem("client.key") }, connectTimeoutMs: 3_000 })).rejects.toThrow(/certificate/i);
  });
});
