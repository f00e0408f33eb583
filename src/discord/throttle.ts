// Discord rate-limits message edits, so a streaming answer is shown by editing at most once per
// interval, always with the latest text, one edit at a time and in order.

export interface Throttle<T> {
  /** Offers the latest value; it is sent now or when the interval allows, superseding older values. */
  push(value: T): void;
  /** Drops any value not yet sent and waits for the edit in flight, so the caller's final edit comes last. */
  close(): Promise<void>;
}

/** `send` may decline a value (returning undefined): nothing was sent, so the interval does not restart. */
export function createThrottle<T>(
  send: (value: T) => Promise<void> | undefined,
  intervalMs: number,
  onError: (error: unknown) => void,
  now: () => number = () => performance.now(),
): Throttle<T> {
  let latest: { value: T } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let closed = false;

  function schedule(): void {
    if (timer || inFlight || !latest || closed) return;
    const wait = Math.max(0, lastSentAt + intervalMs - now());
    timer = setTimeout(fire, wait);
  }

  function fire(): void {
    timer = undefined;
    if (!latest || closed) return;
    const { value } = latest;
    latest = undefined;
    let sending: Promise<void> | undefined;
    try {
      sending = send(value);
    } catch (error) {
      sending = Promise.reject(error);
    }
    if (!sending) return;
    lastSentAt = now();
    inFlight = sending.catch(onError).finally(() => {
      inFlight = undefined;
      schedule();
    });
  }

  return {
    push(value) {
      if (closed) return;
      latest = { value };
      schedule();
    },
    async close() {
      closed = true;
      latest = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
