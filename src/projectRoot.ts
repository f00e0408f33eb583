// Where the project is installed. Relative paths in the configuration (DATA_DIR, the .env file)
// mean this folder, not the working directory, so `cd src && storybot sources` and a service
// started from / find the same story and database as `npm start` in the checkout.
import path from "node:path";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

/** `p` as an absolute path: unchanged when absolute, else relative to the project root. */
export function fromProjectRoot(p: string): string {
  return path.resolve(PROJECT_ROOT, p);
}
