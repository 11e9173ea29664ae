/**
 * A PostgreSQL database of a test's own on the shared server (EDA_TEST_POSTGRES, else the local
 * one), dropped afterwards even while connections to it are open.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const ADMIN = process.env["EDA_TEST_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Runs `use` with the URL of a new database named `<prefix>_<random>`, then drops it. */
export async function withPostgresDatabase<T>(prefix: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
