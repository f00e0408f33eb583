// The question file `storybot eval` runs (the format of data/eval-questions.json), validated so a
// broken file is reported in one line naming the field, instead of producing meaningless figures.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UserError } from "../errors.ts";

/** Every inner list must have one of its strings in the answer (case-insensitive). */
const answerAny = z.array(z.array(z.string().min(1)).min(1)).min(1);
/** Any one of these substrings in a retrieved passage counts as a retrieval hit. */
const evidence = z.array(z.string().min(1)).default([]);

export const evalQuestionSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(["answerable", "unanswerable"]),
    q: z.string().min(1),
    evidence,
    /** Required for answerable questions; unanswerable ones are judged by their outcome ("doesnt_say"). */
    answer_any: answerAny.optional(),
  })
  .refine((q) => q.kind === "unanswerable" || q.answer_any !== undefined, {
    message: "an answerable question needs answer_any",
    path: ["answer_any"],
  });

export const evalFollowupSchema = z.object({
  id: z.string().min(1),
  /** Asked in order in one conversation; the last one is judged. */
  turns: z.array(z.string().min(1)).min(2),
  evidence,
  answer_any: answerAny,
});

export const evalFileSchema = z
  .object({
    about: z.string().optional(),
    questions: z.array(evalQuestionSchema).default([]),
    followups: z.array(evalFollowupSchema).default([]),
  })
  .refine((file) => file.questions.length + file.followups.length > 0, {
    message: "the file has no questions",
  })
  .refine(
    (file) => {
      const ids = [...file.questions, ...file.followups].map((q) => q.id);
      return new Set(ids).size === ids.length;
    },
    { message: "question ids must be unique" },
  );

export type EvalFile = z.infer<typeof evalFileSchema>;
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;
export type EvalFollowup = z.infer<typeof evalFollowupSchema>;

/** Reads and validates a question file; throws UserError with one line saying what is wrong. */
export async function loadEvalFile(path: string): Promise<EvalFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read the eval file ${path}${code ? ` (${code})` : ""}.`);
  }
  return parseEvalFile(text, path);
}

/** Validates the text of a question file; `name` is used in the error message. */
export function parseEvalFile(text: string, name: string): EvalFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`The eval file ${name} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = evalFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new UserError(`The eval file ${name} is invalid: ${where}${issue?.message ?? "unknown problem"}.`);
  }
  return parsed.data;
}
