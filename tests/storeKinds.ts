// The two stores behind the Store interface, for contract tests that must hold for both: lowdb in a
// temporary folder, PostgreSQL in a database of its own. `place` is where a store's data lives (the
// folder or the database URL): opening the same place again is a restart.
import { describe } from "vitest";
import { silentLogger } from "../src/log.ts";
import { openStore, type Retention } from "../src/store/lowdbStore.ts";
import { openStorage } from "../src/store/openStorage.ts";
import type { Store } from "../src/store/store.ts";
import { describePostgres, useTestDatabases } from "./postgresTestDatabase.ts";
import { useTempStores } from "./testHelpers.ts";

export interface OpenExtra {
  retention?: Retention;
  /** lowdb only: how long a write waits for more. */
  writeDelayMs?: number;
}

export interface StoreKind {
  name: "lowdb" | "postgres";
  /** A new, empty place for a store. */
  tempDir(): Promise<string>;
  /** Opens the store at `place`; it is closed after the test. */
  openAt(place: string, clock?: () => Date, extra?: OpenExtra): Promise<Store>;
  /** Closes the store and opens its place again, as a restart does. */
  reopen(store: Store, place: string, clock?: () => Date): Promise<Store>;
}

const defaultClock = () => new Date("2025-06-01T12:00:00.000Z");

/**
 * Registers `body` once per store: "lowdb: title" and "postgres: title" (skipped, saying why, when
 * there is no PostgreSQL server). Call at a test file's top level.
 */
export function describeEachStore(title: string, body: (kind: StoreKind) => void): void {
  describe(`lowdb: ${title}`, () => body(lowdbStores));
  describePostgres(`postgres: ${title}`, () => body(postgresKind));
}

const temp = useTempStores("storybot-store-");
const databases = useTestDatabases();

/** lowdb alone, for what only the file store has (db.json, write-behind). */
export const lowdbStores: StoreKind = {
  name: "lowdb",
  tempDir: () => temp.tempDir(),
  async openAt(place, clock = defaultClock, extra = {}) {
    return temp.track(await openStore({ dataDir: place, log: silentLogger(), clock, ...extra }));
  },
  async reopen(store, place, clock) {
    await store.close();
    return lowdbStores.openAt(place, clock);
  },
};

const postgresKind: StoreKind = {
  name: "postgres",
  tempDir: () => databases.createTestDatabase(),
  async openAt(place, clock = defaultClock, extra = {}) {
    const storage = await openStorage({
      dataDir: await temp.tempDir(),
      databaseUrl: place,
      log: silentLogger(),
      clock,
      ...(extra.retention ? { retention: extra.retention } : {}),
    });
    return temp.track(closingStorage(storage.store, () => storage.close()));
  },
  async reopen(store, place, clock) {
    await store.close();
    return postgresKind.openAt(place, clock);
  },
};

/** The store, whose close() closes its whole storage (the connection pool with it). */
function closingStorage(store: Store, close: () => Promise<void>): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === "close") return close;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
