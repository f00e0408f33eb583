// Everything kept between runs, chosen by configuration: lowdb in the data directory by default
// (one process), PostgreSQL when DATABASE_URL is set (any number of processes and machines).
// Nothing above this module knows which.
import { ingestedDir } from "../corpus/corpusDirs.ts";
import { type ArticleShelf, directoryShelf } from "../ingest/articleShelf.ts";
import type { Logger } from "../log.ts";
import type { Article, Retriever } from "../types.ts";
import { type Coordination, localCoordination } from "./coordination.ts";
import { openStore } from "./lowdbStore.ts";
import { openStoreLazily } from "./openStoreLazily.ts";
import type { FollowOptions } from "./postgres/postgresShelf.ts";
import type { Store } from "./store.ts";
import type { Retention } from "./trimTurns.ts";

export interface StorageOptions {
  dataDir: string;
  /** postgres://… for the shared store; absent for lowdb. */
  databaseUrl?: string | undefined;
  log: Logger;
  clock: () => Date;
  retention?: Retention;
  /** lowdb only: open the database file on first use, so one-off commands run beside a bot. */
  lazy?: boolean;
}

export interface Storage {
  readonly kind: "lowdb" | "postgres";
  store: Store;
  coordination: Coordination;
  /** Where ingested articles go. */
  shelf: ArticleShelf;
  /** Articles kept outside the corpus directory (the database's), to load with it. */
  loadSharedArticles(): Promise<Article[]>;
  /** Keeps `retriever` up to date with articles other processes add, until close(). */
  follow(retriever: Retriever, options?: FollowOptions): void;
  close(): Promise<void>;
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  const storeOptions = {
    log: options.log,
    clock: options.clock,
    ...(options.retention ? { retention: options.retention } : {}),
  };
  if (!options.databaseUrl) {
    const lowdbOptions = { ...storeOptions, dataDir: options.dataDir };
    const store = options.lazy
      ? openStoreLazily(() => openStore(lowdbOptions))
      : await openStore(lowdbOptions);
    return {
      kind: "lowdb",
      store,
      coordination: localCoordination(),
      shelf: directoryShelf(ingestedDir(options.dataDir)),
      loadSharedArticles: async () => [],
      follow: () => {},
      close: () => store.close(),
    };
  }

  // Loaded only for PostgreSQL: the driver and its store would otherwise sit in every lowdb bot's memory.
  const [{ postgresCoordination }, { connectPostgres }, { PostgresShelf }, { openPostgresStore }] =
    await Promise.all([
      import("./postgres/advisoryLocks.ts"),
      import("./postgres/connectPostgres.ts"),
      import("./postgres/postgresShelf.ts"),
      import("./postgres/postgresStore.ts"),
    ]);
  const pool = await connectPostgres(options.databaseUrl, options.log);
  try {
    const store = await openPostgresStore(pool, storeOptions);
    const shelf = new PostgresShelf(pool, options.databaseUrl, options.log);
    let closing: Promise<void> | undefined;
    return {
      kind: "postgres",
      store,
      coordination: postgresCoordination(pool),
      shelf,
      loadSharedArticles: () => shelf.load(),
      follow: (retriever, followOptions) => shelf.follow(retriever, followOptions),
      close() {
        closing ??= (async () => {
          try {
            await shelf.stop();
            await store.close();
          } finally {
            await pool.end();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
