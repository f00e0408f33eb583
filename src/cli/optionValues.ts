// Checks of option values, run while the command line is parsed: a bad value is a usage error
// (exit 2, one line) before anything is loaded.
import { InvalidArgumentError } from "commander";

/** `--k`: how many passages, 1 to 100. */
export function passageCount(value: string): number {
  const k = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(k) || k < 1 || k > 100)
    throw new InvalidArgumentError("Expected a whole number from 1 to 100.");
  return k;
}

/** `--session`: any non-blank name. */
export function sessionId(value: string): string {
  const id = value.trim();
  if (id === "") throw new InvalidArgumentError("Expected a name that is not blank.");
  return id;
}

/** `--since`: an ISO date or date-time. */
export function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim()) || Number.isNaN(date.getTime()))
    throw new InvalidArgumentError("Expected an ISO date such as 2026-02-03.");
  return date;
}

/** `--guild`, `--client-id`: a Discord id. */
export function discordId(value: string): string {
  if (!/^\d{17,20}$/.test(value.trim()))
    throw new InvalidArgumentError("Expected a Discord id (17-20 digits).");
  return value.trim();
}
