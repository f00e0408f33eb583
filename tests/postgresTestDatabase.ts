// The real PostgreSQL server the tests use: TEST_DATABASE_URL names an administrative connection
// (.ci/run starts a throw-away server and exports it); each test gets a database of its own, created
// here and dropped after its file. Without the variable the PostgreSQL tests are skipped and say
// so, on a developer's machine; under CI that is an error, since CI must run them.
import pg from "pg";
import { afterAll, describe } from "vitest";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

export const POSTGRES_SKIP_REASON =
  "TEST_DATABASE_URL is not set: PostgreSQL tests skipped (run `source .ci/startPostgres.sh` first, as .ci/run does)";

if (!testDatabaseUrl) {
  if (process.env.CI) throw new Error(`CI must run the PostgreSQL tests, but ${POSTGRES_SKIP_REASON}`);
  console.warn(`⚠ ${POSTGRES_SKIP_REASON}`);
}

/** describe, or describe.skip with the reason in its title when there is no server. */
export function describePostgres(title: string, body: () => void): void {
  if (testDatabaseUrl) describe(title, body);
  else describe.skip(`${title} — ${POSTGRES_SKIP_REASON}`, body);
}

/** Call once at the top of a test file: new databases, all dropped once the file's tests are done. */
export function useTestDatabases() {
  const created: string[] = [];
  afterAll(async () => {
    if (!testDatabaseUrl || created.length === 0) return;
    await withAdmin(async (admin) => {
      // FORCE ends connections a failed test left open.
      for (const name of created.splice(0)) await admin.query(`drop database if exists ${name} with (force)`);
    });
  });
  return {
    /** The URL of a new, empty database. */
    async createTestDatabase(): Promise<string> {
      if (!testDatabaseUrl) throw new Error(POSTGRES_SKIP_REASON);
      const name = `storybot_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await withAdmin((admin) => admin.query(`create database ${name}`));
      created.push(name);
      const url = new URL(testDatabaseUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

async function withAdmin<T>(task: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    return await task(admin);
  } finally {
    await admin.end();
  }
}
