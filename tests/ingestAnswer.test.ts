// An added article is answered from at once: the live index is updated in place, no restart.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answer } from "../src/answer/answer.ts";
import { ingest } from "../src/ingest/ingestSource.ts";
import { expectCitationProtocol, type LiveCore, startLiveCore } from "./fixtures/ingest/liveCore.ts";
import { fixture, type PageServer, startPageServer } from "./fixtures/ingest/pageServer.ts";

const TITLE = "Council votes to restore Gull Point lighthouse";
const QUESTION = "When will the Gull Point lighthouse reopen to visitors?";
let server: PageServer;
let live: LiveCore;

beforeAll(async () => {
  server = await startPageServer();
  server.routes.set("/news/lighthouse", { body: fixture("lighthouse.html") });
});
afterAll(() => server.close());
beforeEach(async () => {
  live = await startLiveCore();
});
afterEach(() => live.close());

describe("a newly added article, without a restart", () => {
  it("is searched, answered from and listed at once", async () => {
    const { core, ingestDeps } = live;
    const before = await answer(core, { question: QUESTION, history: [] });
    expect(before.citations.map((c) => c.title)).not.toContain(TITLE);

    const result = await ingest(ingestDeps, `${server.site("harbour-herald.test")}/news/lighthouse`);
    expect("added" in result).toBe(true);

    // The same retriever object the bot holds: /sources lists articles(), answers search it.
    expect(core.retriever.articles().map((a) => a.title)).toContain(TITLE);
    const top = await core.retriever.search(QUESTION, 5);
    expect(top.some((p) => p.text.includes("reopen to visitors in April next year"))).toBe(true);
    const after = await answer(core, { question: QUESTION, history: [] });
    expect(after.outcome).not.toBe("doesnt_say");
    expect(after.citations.map((c) => c.title)).toContain(TITLE);
    expectCitationProtocol(after);
  });
});
