// File system failures in the words an operator acts on. A full disk must read "the disk is full",
// not "something went wrong" or a stack trace: freeing space is the fix, and nothing else is.

const CAUSES: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EIO: "the disk reported an input/output error",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
};

/** E.g. "the disk is full (ENOSPC)"; undefined for anything that is not a known file system failure. */
export function fileErrorCause(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string") return undefined;
  const cause = CAUSES[code];
  return cause && `${cause} (${code})`;
}
