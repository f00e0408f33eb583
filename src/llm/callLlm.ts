// One policy for every model call: an overall deadline, bounded retries that honour a server's
// retry-after, and one error type whose short reason the caller can show next to its fallback.
import { setTimeout as sleep } from "node:timers/promises";
import type { LanguageModel } from "ai";
import { APICallError, InvalidResponseDataError, JSONParseError, TypeValidationError } from "ai";
import type { Logger } from "../log.ts";
import type { LlmSettings } from "../types.ts";
import { type CallDeadline, callDeadline } from "./callDeadline.ts";

/** What every model call needs: the model, the call policy and a logger. */
export interface LlmDeps {
  model: LanguageModel;
  llm: LlmSettings;
  log: Logger;
}

/** Why a call gave no answer, phrased to follow "The language model …" in a notice. */
export type LlmFailure =
  | "timed out"
  | "was cancelled"
  | "was rate limited"
  | "had a server error"
  | "rejected the request"
  | "could not be reached"
  | "stopped mid-answer"
  | "sent malformed output"
  | "sent an empty answer"
  | "refused to answer"
  | "answered without citations"
  | "tried to reveal its instructions"
  | "failed";

/** The model gave no usable answer; the caller falls back (extractive answer, heuristic rewrite). */
export class LlmError extends Error {
  override name = "LlmError";
  readonly reason: LlmFailure;
  constructor(reason: LlmFailure, options?: { cause?: unknown }) {
    super(`The language model ${reason}`, options);
    this.reason = reason;
  }
}

export const DEFAULT_RETRY_DELAY_MS = 1_000;

/**
 * Runs one model call under the policy. `run` gets the signal that ends at the deadline (llm.timeoutMs
 * over all attempts) or when the caller aborts; it may throw LlmError itself to stop retrying.
 * Everything thrown comes out as an LlmError.
 */
export async function callLlm<T>(
  deps: { llm: LlmSettings; log: Logger },
  callerSignal: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = callDeadline(deps.llm.timeoutMs, callerSignal);
  try {
    return await attempts(deps, callerSignal, deadline, run);
  } finally {
    deadline.release();
  }
}

async function attempts<T>(
  deps: { llm: LlmSettings; log: Logger },
  callerSignal: AbortSignal | undefined,
  deadline: CallDeadline,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal } = deadline;
  const baseDelay = deps.llm.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(signal);
    } catch (error) {
      const failure = toLlmError(error, callerSignal, deadline.timedOut());
      const wait = retryDelay(error, baseDelay * 2 ** attempt);
      const retryable = APICallError.isInstance(error) && error.isRetryable && !signal.aborted;
      // A wait longer than the whole budget cannot end in an answer: give up now, not at the deadline.
      if (!retryable || attempt >= deps.llm.maxRetries || wait >= deps.llm.timeoutMs) {
        deps.log.warn({ err: summarize(error), attempt: attempt + 1 }, `LLM call failed: ${failure.reason}`);
        throw failure;
      }
      deps.log.warn(
        { err: summarize(error), attempt: attempt + 1, waitMs: wait },
        "LLM call failed; retrying",
      );
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        // The deadline or the caller ended the wait: the failure being waited out is the reason.
        throw callerSignal?.aborted ? new LlmError("was cancelled", { cause: error }) : failure;
      }
    }
  }
}

/** How long to wait before retrying: the server's retry-after-ms or retry-after (seconds) if given, else `backoff`. */
export function retryDelay(error: unknown, backoff: number): number {
  const headers = APICallError.isInstance(error) ? error.responseHeaders : undefined;
  const ms = Number(headers?.["retry-after-ms"]);
  if (headers?.["retry-after-ms"] && Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headers?.["retry-after"]);
  if (headers?.["retry-after"] && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return backoff;
}

function toLlmError(error: unknown, callerSignal: AbortSignal | undefined, timedOut: boolean): LlmError {
  if (error instanceof LlmError) return error;
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    const status = error.statusCode;
    if (status === 429) return new LlmError("was rate limited", { cause: error });
    if (status >= 500) return new LlmError("had a server error", { cause: error });
    if (status >= 400) return new LlmError("rejected the request", { cause: error });
    // A success status whose body could not be read as the API's format.
    return new LlmError("sent malformed output", { cause: error });
  }
  if (callerSignal?.aborted) return new LlmError("was cancelled", { cause: error });
  if (timedOut) return new LlmError("timed out", { cause: error });
  if (APICallError.isInstance(error)) return new LlmError("could not be reached", { cause: error });
  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error)
  ) {
    return new LlmError("sent malformed output", { cause: error });
  }
  return new LlmError("failed", { cause: error });
}

/** What a log line may carry about a failed call: never headers, request bodies or keys. */
export function summarize(error: unknown): { name: string; message: string; statusCode?: number } {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const summary: { name: string; message: string; statusCode?: number } = {
    name: error.name,
    // Servers echo a rejected key in their message (OpenAI masks most of it); none of it is kept.
    message: error.message.replace(/\bsk-[\w*-]+/g, "[secret]").slice(0, 300),
  };
  if (APICallError.isInstance(error) && error.statusCode !== undefined) summary.statusCode = error.statusCode;
  return summary;
}
