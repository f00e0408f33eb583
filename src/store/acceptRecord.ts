// How a store accepts a caller's record: a private copy exactly as it will read back, a JSON round
// trip (dropping undefined fields) and then the database schema, so nothing unreadable is kept.
import type { z } from "zod";

export function acceptRecord<T>(schema: z.ZodType, value: unknown): T {
  return schema.parse(JSON.parse(JSON.stringify(value))) as T;
}
