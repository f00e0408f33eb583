// The signal a model call runs under: aborted at the deadline or when the caller's own signal is, and
// released as soon as the call ends. AbortSignal.timeout (and AbortSignal.any over it) would say the
// same, but Node holds such a signal, with every abort listener the AI SDK and fetch attach to it and
// all that those listeners hold of the answer, until its timer fires, long after the call is over: in
// a busy bot, the state of every answer of the last LLM_TIMEOUT_MS stayed in memory.
// The timer comes from node:timers, as AbortSignal.timeout's does, so that it neither keeps the
// process alive nor follows a test's fake clock.
import { clearTimeout, setTimeout } from "node:timers";

export interface CallDeadline {
  signal: AbortSignal;
  /** Whether the deadline, rather than the caller, ended the call. */
  timedOut(): boolean;
  /** Stops the timer and the caller's listener; the signal then holds nothing of the call. */
  release(): void;
}

export function callDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): CallDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The reason AbortSignal.timeout gives.
    controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  }, timeoutMs);
  timer.unref();
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}
