// `storybot db migrate|import|export`: the PostgreSQL database named by DATABASE_URL.
//   migrate   bring the schema up to date (the bot also does this when it starts)
//   import    copy a lowdb data directory (db.json and ingested articles) into it
//   export    copy it back into a lowdb data directory
// import and export take the data directory's lock, so they refuse to run beside a lowdb bot.

import type { Config } from "../config.ts";
import { ensureDirectory } from "../ensureDirectory.ts";
import { UsageError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { migratePool, openPool } from "../store/postgres/connectPostgres.ts";
import { exportLowdb } from "../store/postgres/exportLowdb.ts";
import { importLowdb, type TransferCounts } from "../store/postgres/importLowdb.ts";
import { MIGRATIONS } from "../store/postgres/migrations.ts";
import { acquireLock } from "../store/storeLock.ts";

export async function dbCommand(
  verb: "migrate" | "import" | "export",
  options: { dataDir?: string },
  config: Config,
  log: Logger,
): Promise<number> {
  if (!config.DATABASE_URL) {
    throw new UsageError(
      "DATABASE_URL is not set: the db commands work on a PostgreSQL database (postgres://…).",
    );
  }
  const dataDir = options.dataDir ?? config.DATA_DIR;
  const pool = openPool(config.DATABASE_URL, log);
  try {
    const applied = await migratePool(pool, config.DATABASE_URL, log);
    if (verb === "migrate") {
      const version = MIGRATIONS.at(-1)?.version;
      process.stdout.write(
        applied.length > 0
          ? `Migrated the database to schema ${version} (applied ${applied.join(", ")}).\n`
          : `The database schema is up to date (schema ${version}).\n`,
      );
      return 0;
    }
    await ensureDirectory(dataDir);
    const lock = await acquireLock(dataDir, log);
    try {
      const counts = verb === "import" ? await importLowdb(pool, dataDir) : await exportLowdb(pool, dataDir);
      process.stdout.write(
        verb === "import"
          ? `Imported ${describe(counts)} from ${dataDir} into PostgreSQL.\n`
          : `Exported ${describe(counts)} from PostgreSQL into ${dataDir}.\n`,
      );
      return 0;
    } finally {
      await lock.release();
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
}

function describe(counts: TransferCounts): string {
  const parts: [number, string, string][] = [
    [counts.conversations, "conversation", "conversations"],
    [counts.turns, "message", "messages"],
    [counts.answers, "answer record", "answer records"],
    [counts.guilds, "server's settings", "servers' settings"],
    [counts.summaryPosts, "summary post", "summary posts"],
    [counts.meta, "state entry", "state entries"],
    [counts.articles, "article", "articles"],
  ];
  return parts.map(([n, one, many]) => `${n} ${n === 1 ? one : many}`).join(", ");
}
