// A folder and its missing parents, made one level at a time. Node's `mkdir(…, { recursive: true })`
// loops forever on a path a file system refuses without its parent being missing (a new folder in
// /proc: ENOENT although /proc exists), so a mistyped DATA_DIR could hang the bot at full CPU; here
// such a path fails at once with the file system's own error.
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

export async function ensureDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!(await isDirectory(at))) {
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      // Made meanwhile by another process, or a file in the way (which the next level reports).
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

async function isDirectory(at: string): Promise<boolean> {
  try {
    return (await stat(at)).isDirectory();
  } catch {
    return false;
  }
}
