// Acknowledgements before answers. Discord wants each interaction acknowledged within 3 s, and with
// the gateway, the REST client and every answer on one event loop, a deferral still on its way (its
// request being connected, written, answered) waits behind whatever answer work starts meanwhile: in
// a burst of questions the last one's deferral came one answer's work after the one before it. So an
// answer starts its work only once no deferral is in flight, or after a short wait at most (a
// deferral that hangs does not hold answers back for long).
import { setTimeout as sleep } from "node:timers/promises";

/** The longest an answer waits for deferrals in flight; a burst's deferrals take a few milliseconds. */
const MAX_WAIT_MS = 100;

let inFlight = 0;
let waiting: (() => void)[] = [];

/** Runs `defer` (an interaction's deferral) as one that answers wait for. */
export async function acknowledging<T>(defer: () => Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await defer();
  } finally {
    inFlight--;
    if (inFlight === 0) {
      const ready = waiting;
      waiting = [];
      for (const resolve of ready) resolve();
    }
  }
}

/** Settles when no deferral is in flight, or after MAX_WAIT_MS. */
export async function acknowledgementsFirst(): Promise<void> {
  if (inFlight === 0) return;
  const done = new AbortController();
  const sent = new Promise<void>((resolve) => waiting.push(resolve));
  await Promise.race([sent, sleep(MAX_WAIT_MS, undefined, { signal: done.signal }).catch(() => {})]);
  done.abort();
}
