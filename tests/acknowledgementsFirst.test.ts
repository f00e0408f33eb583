import { describe, expect, it } from "vitest";
import { acknowledgementsFirst, acknowledging } from "../src/discord/acknowledgementsFirst.ts";

describe("acknowledgementsFirst", () => {
  it("lets an answer start at once when no deferral is in flight", async () => {
    const order: string[] = [];
    await acknowledgementsFirst().then(() => order.push("answer"));
    expect(order).toEqual(["answer"]);
  });

  it("holds an answer back until the deferrals in flight are sent", async () => {
    const order: string[] = [];
    let send = () => {};
    const deferral = acknowledging(
      () =>
        new Promise<void>((resolve) => {
          send = () => {
            order.push("deferred");
            resolve();
          };
        }),
    );
    const answer = acknowledgementsFirst().then(() => order.push("answer"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    send();
    await Promise.all([deferral, answer]);
    expect(order).toEqual(["deferred", "answer"]);
  });

  it("does not hold an answer back for a deferral that hangs, nor after a failed one", async () => {
    const hanging = acknowledging(() => new Promise<void>(() => {}));
    await acknowledgementsFirst();
    void hanging;
    await expect(acknowledging(() => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
  });
});
