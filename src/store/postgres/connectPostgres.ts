// Opens the connection pool for DATABASE_URL and makes sure the schema is current. A server that
// cannot be reached or refuses the login stops start-up with one line that says so.
import pg from "pg";
import { UserError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { migrate } from "./migrations.ts";

export interface ConnectOptions {
  /** Most connections this process opens (the listener for new articles takes one more). */
  maxConnections?: number;
}

/** A pool whose first connection has succeeded and whose schema is migrated. */
export async function connectPostgres(
  url: string,
  log: Logger,
  options: ConnectOptions = {},
): Promise<pg.Pool> {
  const pool = openPool(url, log, options);
  await migratePool(pool, url, log);
  return pool;
}

/** A pool that connects on first use. */
export function openPool(url: string, log: Logger, options: ConnectOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: "storybot",
  });
  // An idle connection the server closed (a restart, a failover) must not crash the process: the
  // pool drops it and opens another when needed.
  pool.on("error", (error) =>
    log.warn({ err: error }, "PostgreSQL connection lost; the pool will reconnect"),
  );
  return pool;
}

/** Migrates; a server that cannot be reached or refuses becomes one clear line, and the pool is ended. */
export async function migratePool(pool: pg.Pool, url: string, log: Logger): Promise<number[]> {
  try {
    return await migrate(pool, log);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error instanceof UserError
      ? error
      : new UserError(`Cannot use DATABASE_URL (${where(url)}): ${reason(error)}`);
  }
}

/** Host, port and database of a URL, never its password. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "unparseable URL";
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}
