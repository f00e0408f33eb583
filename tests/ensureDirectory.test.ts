import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureDirectory } from "../src/ensureDirectory.ts";

describe("ensureDirectory", () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("makes a folder and its missing parents, and accepts one that exists", async () => {
    root = await mkdtemp(path.join(tmpdir(), "storybot-dir-"));
    const deep = path.join(root, "a", "b", "c");
    await ensureDirectory(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await ensureDirectory(deep);
  });

  it("fails with the file system's error when a file is in the way", async () => {
    root = await mkdtemp(path.join(tmpdir(), "storybot-dir-"));
    await writeFile(path.join(root, "file"), "x");
    await expect(ensureDirectory(path.join(root, "file", "data"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });

  // Node's recursive mkdir loops forever here; this must fail at once.
  it.runIf(existsSync("/proc/self"))(
    "fails at once on a file system that makes no new folders (/proc)",
    async () => {
      await expect(ensureDirectory("/proc/storybot-no-such-folder/data")).rejects.toMatchObject({
        code: "ENOENT",
      });
    },
  );
});
