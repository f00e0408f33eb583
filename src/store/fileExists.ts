import { stat } from "node:fs/promises";

/** Whether `file` exists; any error but "not found" (permissions, I/O) is thrown, never read as "no". */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
