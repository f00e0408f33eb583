// A real full disk: the CLI and the bot run with DATA_DIR on a tiny tmpfs, mounted in a mount namespace
// of their own (`unshare --mount`), which the test fills through /proc/<pid>/root. Starting on a full
// disk is one clear line; a disk that fills while answering: answers go on, db.json keeps its last good
// save, and the exit is one line saying what could not be saved, with no stack trace and a failure code.
// (tests/storeDurability.test.ts plays the same with an injected file system, anywhere.)
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForAnswer } from "./discordHarness.ts";
import { startFakeDiscord } from "./fakes/fakeDiscord.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const NODE = path.join(ROOT, "node_modules/.bin/node");
const MAIN = path.join(ROOT, "bin/storybot.ts");
const ARTICLES = path.join(ROOT, "data/articles");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-fulldisk-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether this machine lets us mount a tmpfs in a mount namespace of our own (root, typically). */
const canMountTmpfs = (() => {
  if (process.platform !== "linux") return false;
  const probe = mkdtempSync(path.join(tmpdir(), "storybot-probe-"));
  const ok =
    spawnSync("unshare", ["--mount", "sh", "-c", 'mount -t tmpfs -o size=64k storybot-probe "$0"', probe], {
      stdio: "ignore",
    }).status === 0;
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

interface Sandbox {
  child: ChildProcess;
  /** The data directory as the child sees it. */
  dataDir: string;
  /** The same directory seen from here, through the child's mount namespace. */
  outside(): string;
  /** Where the script leaves what it found after the command ended (db.json, the file list). */
  report: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Runs `script` (sh) with a fresh `sizeKb` tmpfs mounted at $MNT, the story's articles in $DATA_DIR, and
 * $NODE $MAIN at hand. Nothing outside the namespace sees the mount, and it goes away with the child.
 */
function sandbox(name: string, sizeKb: number, script: string, env: Record<string, string> = {}): Sandbox {
  const mnt = path.join(dir, name);
  mkdirSync(mnt);
  const report = path.join(dir, `${name}.report`);
  const setup = `mount -t tmpfs -o size=${sizeKb}k storybot-test "$MNT" && mkdir "$DATA_DIR" && cp -r "$ARTICLES" "$DATA_DIR/articles" || exit 99`;
  const child = spawn("unshare", ["--mount", "sh", "-c", `${setup}\n${script}`], {
    env: {
      PATH: process.env.PATH ?? "",
      MNT: mnt,
      DATA_DIR: path.join(mnt, "data"),
      ARTICLES,
      NODE,
      MAIN,
      REPORT: report,
      LOG_LEVEL: "silent",
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return {
    child,
    dataDir: path.join(mnt, "data"),
    outside: () => path.join(`/proc/${child.pid}/root`, mnt, "data"),
    report,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
  };
}

/** What the scripts run once the command has ended: db.json and the data directory's files. */
const REPORT_AFTER = `ls -A "$DATA_DIR" > "$REPORT.files"; cp "$DATA_DIR/db.json" "$REPORT.db" 2>/dev/null`;

/** Fills the file system holding `dir` until it refuses another page. */
function fill(dir: string): void {
  let n = 0;
  for (const size of [64 * 1024, 4096]) {
    for (;;) {
      try {
        writeFileSync(path.join(dir, `filler-${n++}`), Buffer.alloc(size));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
        break;
      }
    }
  }
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$/m;

describe.skipIf(!canMountTmpfs)("a full disk (tmpfs in a mount namespace)", () => {
  it("refuses to start on a full disk with one line naming the cause, and leaves no lock", {
    timeout: 60_000,
  }, async () => {
    for (const [name, command] of [
      ["start-cli", `ask --session s "Who is Israel's defense minister?"`],
      ["start-bot", "start"],
    ] as const) {
      const box = sandbox(
        name,
        1024,
        `dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
        "$NODE" "$MAIN" ${command}; code=$?; ${REPORT_AFTER}; exit $code`,
        { LOG_LEVEL: "info", DISCORD_TOKEN: "token-never-used", DISCORD_API_URL: "http://127.0.0.1:9/api" },
      );
      expect(await box.exited).toBe(1);
      const lines = box.stderr().trim().split("\n");
      expect(lines.at(-1)).toBe(
        `storybot: Cannot open the database in ${box.dataDir}: the disk is full (ENOSPC).`,
      );
      // Before it, at most the log's warning that the parsed-article cache could not be written either.
      for (const line of lines.slice(0, -1)) {
        expect(JSON.parse(line)).toMatchObject({ level: 40, cause: "the disk is full (ENOSPC)" });
      }
      expect(box.stderr()).not.toMatch(STACK_LINE);
      expect(readOrEmpty(`${box.report}.files`).split("\n")).not.toContain("db.lock");
    }
  });

  it("a CLI batch: answers go on, db.json keeps the last good save, and the exit is one line", {
    timeout: 60_000,
  }, async () => {
    const box = sandbox(
      "cli-batch",
      1024,
      `"$NODE" "$MAIN" ask --json --session s; code=$?; ${REPORT_AFTER}; exit $code`,
    );
    const answers = () => box.stdout().split("\n").filter(Boolean).length;
    box.child.stdin?.write("Who is Israel's defense minister?\nWho is the Mossad chief?\n");
    await until(() => answers() === 2);
    await until(() => readOrEmpty(path.join(box.outside(), "db.json")).includes("Who is the Mossad chief?"));

    fill(box.outside());
    box.child.stdin?.write(
      "What did Zamir present?\nHow long did the meeting last?\nWho attended the meeting?\n",
    );
    await until(() => answers() === 5);
    box.child.stdin?.end();

    expect(await box.exited).toBe(1);
    expect(box.stderr()).toBe(
      `storybot: Could not save the last 6 conversation turns: the disk is full (ENOSPC). ${box.dataDir}/db.json keeps the last good save.\n`,
    );
    const db = readFileSync(`${box.report}.db`, "utf8");
    expect(JSON.parse(db).conversations[0].turns).toHaveLength(4);
    expect(db).not.toContain("What did Zamir present?");
    const files = readFileSync(`${box.report}.files`, "utf8").split("\n");
    expect(files).not.toContain("db.lock");
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("the bot: answers while the disk is full, and SIGTERM exits 1 with a one-line report, no stack trace", {
    timeout: 90_000,
  }, async () => {
    const discord = await startFakeDiscord();
    try {
      const box = sandbox(
        "bot",
        1024,
        `"$NODE" "$MAIN" start & echo $! > "$REPORT.pid"; wait $!; code=$?; ${REPORT_AFTER}; exit $code`,
        {
          LOG_LEVEL: "info",
          DISCORD_TOKEN: discord.token,
          DISCORD_API_URL: discord.apiUrl,
          DISCORD_GUILD_ID: discord.guild.id,
        },
      );
      await discord.waitForIdentify(30_000);
      const ask = async (question: string) => {
        const i = await discord.sendSlashCommand("ask", { question }, { user: discord.users.member });
        return (await waitForAnswer(discord, i)).content;
      };
      expect(await ask("Who is Israel's defense minister?")).toContain("Katz");
      // Saved: the conversation's two turns and the answer's record with its message id.
      await until(() => {
        const saved = readOrEmpty(path.join(box.outside(), "db.json"));
        if (!saved) return false;
        const db = JSON.parse(saved);
        return db.conversations[0]?.turns.length === 2 && db.answers[0]?.messageId !== undefined;
      });

      fill(box.outside());
      expect(await ask("Who is the Mossad chief?")).toContain("Barnea");

      const botPid = Number(readFileSync(`${box.report}.pid`, "utf8"));
      process.kill(botPid, "SIGTERM");
      expect(await box.exited).toBe(1);

      const lines = box.stderr().trim().split("\n");
      expect(lines.at(-1)).toMatch(
        new RegExp(
          `^storybot: Could not save the last 2 conversation turns( and \\d+ other changes?)?: the disk is full \\(ENOSPC\\)\\. ${box.dataDir}/db\\.json keeps the last good save\\.$`,
        ),
      );
      expect(box.stderr()).not.toMatch(STACK_LINE);
      expect(lines.filter((line) => line.includes("ENOSPC") && line.includes('"stack"'))).toEqual([]);
      const db = readFileSync(`${box.report}.db`, "utf8");
      expect(db).toContain("Who is Israel's defense minister?");
      expect(db).not.toContain("Who is the Mossad chief?");
      expect(existsSync(`${box.report}.files`)).toBe(true);
      expect(readFileSync(`${box.report}.files`, "utf8").split("\n")).not.toContain("db.lock");
    } finally {
      await discord.close();
    }
  });
});
