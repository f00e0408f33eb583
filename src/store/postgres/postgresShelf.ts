// Ingested articles in PostgreSQL, so every process serves the same story. An article is added in a
// transaction holding the corpus lock, after catching up with what others added, so the duplicate
// check sees everything and ids never clash; committing it NOTIFYs every process, which then adds
// it to its own index. A periodic check catches anything a dropped listener connection missed.
import pg from "pg";
import { parseArticle } from "../../corpus/parseArticle.ts";
import { UserError } from "../../errors.ts";
import type { ArticleShelf, SaveArticle } from "../../ingest/articleShelf.ts";
import { renderArticle, slugify } from "../../ingest/writeArticle.ts";
import type { Logger } from "../../log.ts";
import type { Article, Retriever } from "../../types.ts";
import { inLockedTransaction } from "./advisoryLocks.ts";

/** The NOTIFY channel that announces a new article (payload: its id). */
export const ARTICLES_CHANNEL = "storybot_articles";
const DEFAULT_CHECK_MS = 15_000;
const MAX_RECONNECT_MS = 30_000;

interface ArticleRow {
  seq: string;
  id: string;
  content: string;
  added_at: Date;
}

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

export interface FollowOptions {
  /** The fallback check for articles a missed notification did not announce. */
  checkEveryMs?: number;
  /** Listen for notifications (default true; off, only the periodic check runs). */
  listen?: boolean;
}

export class PostgresShelf implements ArticleShelf {
  readonly #pool: pg.Pool;
  readonly #url: string;
  readonly #log: Logger;
  /** The newest article (by seq) this process has read. */
  #lastSeq = 0;
  /** Catch-ups run one after another, so an article is added to the index once. */
  #catchingUp: Promise<unknown> = Promise.resolve();
  #stopFollowing: (() => Promise<void>) | undefined;

  constructor(pool: pg.Pool, url: string, log: Logger) {
    this.#pool = pool;
    this.#url = url;
    this.#log = log;
  }

  /** Every article the database holds (those that no longer parse are logged and left out). */
  async load(): Promise<Article[]> {
    const { rows } = await this.#pool.query<ArticleRow>(
      "select seq, id, content, added_at from articles order by seq",
    );
    return this.#parse(rows);
  }

  /** Adds to `retriever` the articles added since the last look; returns how many. */
  catchUp(retriever: Retriever, db: Queryable = this.#pool): Promise<number> {
    const run = this.#catchingUp.then(async () => {
      const { rows } = await db.query<ArticleRow>(
        "select seq, id, content, added_at from articles where seq > $1 order by seq",
        [this.#lastSeq],
      );
      const articles = this.#parse(rows);
      if (articles.length > 0) {
        await retriever.addArticles(articles);
        this.#log.info({ articles: articles.map((a) => a.id) }, "articles added by another process");
      }
      return articles.length;
    });
    this.#catchingUp = run.catch(() => undefined);
    return run;
  }

  adding<T>(retriever: Retriever, task: (save: SaveArticle) => Promise<T>): Promise<T> {
    return inLockedTransaction(this.#pool, "corpus", async (client) => {
      await this.catchUp(retriever, client);
      const result = await task((draft, ingestedAt) => this.#insert(client, retriever, draft, ingestedAt));
      return result;
    });
  }

  /** Keeps `retriever` up to date with articles other processes add, until stop(). */
  follow(retriever: Retriever, options: FollowOptions = {}): void {
    if (this.#stopFollowing) throw new Error("already following");
    let stopped = false;
    let listener: pg.Client | undefined;
    let reconnectTimer: NodeJS.Timeout | undefined;
    let failures = 0;
    const check = (why: string) =>
      this.catchUp(retriever).catch((error: unknown) =>
        this.#log.warn({ err: error, why }, "could not check the database for new articles"),
      );

    const listen = async () => {
      if (stopped) return;
      const client = new pg.Client({ connectionString: this.#url, application_name: "storybot listener" });
      listener = client;
      client.on("notification", () => void check("notification"));
      client.on("error", (error) => this.#log.warn({ err: error }, "lost the article listener connection"));
      client.on("end", () => {
        if (stopped || listener !== client) return;
        listener = undefined;
        retry();
      });
      try {
        await client.connect();
        await client.query(`listen ${ARTICLES_CHANNEL}`);
        failures = 0;
        // Whatever was announced while not listening.
        void check("listening");
      } catch (error) {
        this.#log.warn({ err: error }, "could not listen for new articles; will retry");
        listener = undefined;
        await client.end().catch(() => undefined);
        retry();
      }
    };
    const retry = () => {
      if (stopped) return;
      failures++;
      reconnectTimer = setTimeout(() => void listen(), Math.min(MAX_RECONNECT_MS, 500 * 2 ** failures));
    };

    if (options.listen ?? true) void listen();
    const periodic = setInterval(() => void check("periodic"), options.checkEveryMs ?? DEFAULT_CHECK_MS);
    periodic.unref();
    this.#stopFollowing = async () => {
      stopped = true;
      clearInterval(periodic);
      clearTimeout(reconnectTimer);
      await listener?.end().catch(() => undefined);
      await this.#catchingUp;
    };
  }

  async stop(): Promise<void> {
    await this.#stopFollowing?.();
    this.#stopFollowing = undefined;
  }

  async #insert(
    client: pg.PoolClient,
    retriever: Retriever,
    draft: Parameters<SaveArticle>[0],
    ingestedAt: Date,
  ): Promise<Article> {
    const content = renderArticle(draft, ingestedAt);
    const slug = slugify(draft.title);
    let checked: Article;
    try {
      checked = parseArticle(slug, content, ingestedAt.toISOString());
    } catch (error) {
      throw new UserError(`The article cannot be stored: ${(error as Error).message}.`);
    }
    // Caught up under the lock, the index knows every id in use, the corpus directory's included.
    const taken = new Set(retriever.articles().map((a) => a.id));
    for (let n = 1; ; n++) {
      const id = n === 1 ? slug : `${slug}-${n}`;
      if (taken.has(id)) continue;
      const { rows } = await client.query<{ seq: string }>(
        `insert into articles (id, file_name, content) values ($1, $2, $3)
         on conflict do nothing returning seq`,
        [id, `${id}.md`, content],
      );
      if (!rows[0]) continue;
      // Delivered to every listener when the transaction commits, never if it rolls back.
      await client.query("select pg_notify($1, $2)", [ARTICLES_CHANNEL, id]);
      // Under the lock, nothing older can still commit: this process has now seen up to here.
      this.#lastSeq = Math.max(this.#lastSeq, Number(rows[0].seq));
      return { ...checked, id };
    }
  }

  #parse(rows: ArticleRow[]): Article[] {
    const articles: Article[] = [];
    for (const row of rows) {
      this.#lastSeq = Math.max(this.#lastSeq, Number(row.seq));
      try {
        articles.push(parseArticle(row.id, row.content, row.added_at.toISOString()));
      } catch (error) {
        this.#log.warn({ articleId: row.id, reason: (error as Error).message }, "skipping malformed article");
      }
    }
    return articles;
  }
}
