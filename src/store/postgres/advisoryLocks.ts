// Coordination between processes through PostgreSQL advisory locks. A lock is named; its key is a
// 64-bit hash of the name. Locks belong to the database, so every process on every machine that
// shares DATABASE_URL sees the same ones, and a process that dies releases its locks with its
// connection: no lock is ever left behind.
import type pg from "pg";
import type { Coordination } from "../coordination.ts";

const KEY = "hashtextextended($1::text, 0)";

/** A name's lock among storybot's (other applications may use advisory locks on the same database). */
export function lockName(name: string): string {
  return `storybot:${name}`;
}

/** Runs `task` inside a transaction that holds the named lock, waiting for it; commits when it resolves. */
export async function inLockedTransaction<T>(
  pool: pg.Pool,
  name: string,
  task: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query(`select pg_advisory_xact_lock(${KEY})`, [lockName(name)]);
    const result = await task(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Coordination across processes. runAlone holds a transaction-level lock (the task's own queries
 * need not run in it); runIfFree holds a session-level lock on a connection of its own for as long
 * as the task runs, since tasks such as a feed poll last minutes and should not keep a transaction open.
 */
export function postgresCoordination(pool: pg.Pool): Coordination {
  return {
    runAlone: (name, task) => inLockedTransaction(pool, name, () => task()),

    async runIfFree(name, task) {
      const client = await pool.connect();
      let broken = false;
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          `select pg_try_advisory_lock(${KEY}) as locked`,
          [lockName(name)],
        );
        if (!rows[0]?.locked) return undefined;
        try {
          return await task();
        } finally {
          await client.query(`select pg_advisory_unlock(${KEY})`, [lockName(name)]).catch(() => {
            // The lock could not be released on this connection: drop the connection, which releases it.
            broken = true;
          });
        }
      } finally {
        client.release(broken);
      }
    },
  };
}
