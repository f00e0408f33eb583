// The daily schedule with an injected clock: a whole day, restarts, a crash between sending and
// recording, daylight-saving changes, zones far from UTC, a channel the bot cannot post to, quiet days.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createSummaryChecker,
  scheduleSummaries,
  type TargetReport,
} from "../src/summary/scheduleSummaries.ts";
import { type SummaryTarget, summaryDue } from "../src/summary/summaryDue.ts";
import { DRONE, FakePoster, TALKS, type TestCore, testCore } from "./summaryHelpers.ts";

const GUILD_A = "200000000000000001";
const GUILD_B = "200000000000000002";
const CHANNEL_A = "300000000000000001";
const CHANNEL_B = "300000000000000002";

let core: TestCore;
afterEach(async () => {
  await core.close();
});

async function setup(options: { at: string; time?: string; timeZone?: string; skipQuietDays?: boolean }) {
  core = await testCore([TALKS], options.at);
  const poster = new FakePoster(core.clock, { [CHANNEL_A]: GUILD_A, [CHANNEL_B]: GUILD_B });
  await core.deps.store.updateGuildSettings(GUILD_A, {
    summaryChannelId: CHANNEL_A,
    summaryTime: options.time ?? "09:00",
    summaryTimezone: options.timeZone ?? "UTC",
    ...(options.skipQuietDays !== undefined && { skipQuietDays: options.skipQuietDays }),
  });
  const checker = () =>
    createSummaryChecker(core.deps, { poster, defaults: { time: "09:00", timeZone: "UTC" } });
  return { poster, checker };
}

function outcomeOf(reports: TargetReport[], channelId = CHANNEL_A) {
  return reports.find((r) => r.channelId === channelId);
}

describe("daily summary schedule", () => {
  it("posts once a day at the local time, and not before", async () => {
    const { poster, checker } = await setup({ at: "2026-02-04T08:59:00Z" });
    const check = checker();
    expect(outcomeOf(await check.check())?.outcome).toBe("wait");
    expect(poster.posts(CHANNEL_A)).toHaveLength(0);

    for (const at of [
      "2026-02-04T09:00:00Z",
      "2026-02-04T09:01:00Z",
      "2026-02-04T18:00:00Z",
      "2026-02-04T23:59:00Z",
    ]) {
      core.clock.set(at);
      await check.check();
    }
    const posts = poster.posts(CHANNEL_A);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.content.split("\n")[0]).toContain("Daily summary — 2026-02-04");
    const record = await core.deps.store.summaryPost(`${GUILD_A}:${CHANNEL_A}:2026-02-04`);
    expect(record?.messageId).toBe(posts[0]?.id);
    expect(record?.postedAt).toBe("2026-02-04T09:00:00.000Z");

    core.clock.set("2026-02-05T08:59:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("wait");
    core.clock.set("2026-02-05T09:00:00Z");
    expect(outcomeOf(await check.check())).toMatchObject({ localDate: "2026-02-05", outcome: "posted" });
    const second = poster.posts(CHANNEL_A)[1]?.content ?? "";
    expect(second).toContain("Daily summary — 2026-02-05");
    // Since yesterday's post nothing was added, and the post says so first.
    expect(second.split("\n")[1]).toBe("Nothing new since 2026-02-04 09:00 UTC.");
    expect(poster.posts(CHANNEL_A)).toHaveLength(2);
  });

  it("catches up after downtime and does not post again after a restart", async () => {
    const { poster, checker } = await setup({ at: "2026-02-04T15:30:00Z" });
    expect(outcomeOf(await checker().check())?.outcome).toBe("posted");

    await core.restart();
    core.clock.set("2026-02-04T16:00:00Z");
    expect(outcomeOf(await checker().check())?.outcome).toBe("done");
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);
    expect(poster.sendCalls).toBe(1);
  });

  it("after a crash between sending and recording, finds the post instead of posting again", async () => {
    const { poster, checker } = await setup({ at: "2026-02-04T09:00:00Z" });
    poster.dieAfterNextSend = true;
    // This check never finishes: the send went out and the process "died" before recording it.
    void checker().check();
    await vi.waitFor(() => expect(poster.posts(CHANNEL_A)).toHaveLength(1));
    const sent = poster.posts(CHANNEL_A)[0];

    await core.restart();
    const claim = await core.deps.store.summaryPost(`${GUILD_A}:${CHANNEL_A}:2026-02-04`);
    expect(claim).toBeDefined();
    expect(claim?.messageId).toBeUndefined();

    core.clock.set("2026-02-04T09:05:00Z");
    expect(outcomeOf(await checker().check())?.outcome).toBe("recovered");
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);
    expect((await core.deps.store.summaryPost(`${GUILD_A}:${CHANNEL_A}:2026-02-04`))?.messageId).toBe(
      sent?.id,
    );
  });

  it("after a crash between claiming and sending, posts once", async () => {
    const { poster, checker } = await setup({ at: "2026-02-04T09:00:00Z" });
    const key = `${GUILD_A}:${CHANNEL_A}:2026-02-04`;
    await core.deps.store.claimSummaryPost({
      key,
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      localDate: "2026-02-04",
      claimedAt: "2026-02-04T09:00:00.000Z",
    });
    await core.restart();
    core.clock.set("2026-02-04T09:02:00Z");
    expect(outcomeOf(await checker().check())?.outcome).toBe("posted");
    core.clock.set("2026-02-04T09:03:00Z");
    expect(outcomeOf(await checker().check())?.outcome).toBe("done");
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);
  });

  it("posts at the local time on both sides of the spring daylight-saving change (America/New_York)", async () => {
    const { poster, checker } = await setup({ at: "2026-03-07T13:59:00Z", timeZone: "America/New_York" });
    const check = checker();
    // 09:00 EST is 14:00 UTC on Saturday 7 March ...
    expect(outcomeOf(await check.check())?.outcome).toBe("wait");
    core.clock.set("2026-03-07T14:00:00Z");
    expect(outcomeOf(await check.check())).toMatchObject({ localDate: "2026-03-07", outcome: "posted" });
    // ... and 09:00 EDT is 13:00 UTC on Sunday 8 March, after the clocks went forward.
    core.clock.set("2026-03-08T12:59:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("wait");
    core.clock.set("2026-03-08T13:00:00Z");
    expect(outcomeOf(await check.check())).toMatchObject({ localDate: "2026-03-08", outcome: "posted" });
    core.clock.set("2026-03-08T14:00:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("done");
    expect(poster.posts(CHANNEL_A)).toHaveLength(2);
  });

  it("posts a time the spring change skips as soon as the clock jumps past it", async () => {
    // 02:30 does not exist in New York on 8 March 2026: 01:59 EST is followed by 03:00 EDT.
    const { poster, checker } = await setup({
      at: "2026-03-08T06:59:00Z",
      time: "02:30",
      timeZone: "America/New_York",
    });
    const check = checker();
    expect(outcomeOf(await check.check())?.outcome).toBe("wait");
    core.clock.set("2026-03-08T07:00:00Z");
    expect(outcomeOf(await check.check())).toMatchObject({ localDate: "2026-03-08", outcome: "posted" });
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);
  });

  it("posts a time the autumn change repeats only once", async () => {
    // 01:30 happens twice in New York on 1 November 2026: at 05:30 UTC (EDT) and 06:30 UTC (EST).
    const { poster, checker } = await setup({
      at: "2026-11-01T05:30:00Z",
      time: "01:30",
      timeZone: "America/New_York",
    });
    const check = checker();
    expect(outcomeOf(await check.check())?.outcome).toBe("posted");
    core.clock.set("2026-11-01T06:30:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("done");
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);
  });

  it("uses the local date in zones far from UTC (Pacific/Kiritimati UTC+14, Pacific/Pago_Pago UTC-11)", async () => {
    const { poster, checker } = await setup({ at: "2026-02-03T18:59:00Z", timeZone: "Pacific/Kiritimati" });
    await core.deps.store.updateGuildSettings(GUILD_B, {
      summaryChannelId: CHANNEL_B,
      summaryTime: "09:00",
      summaryTimezone: "Pacific/Pago_Pago",
    });
    const check = checker();
    // 18:59 UTC on 3 February is 08:59 on 4 February in Kiritimati and 07:59 on 3 February in Pago Pago.
    let reports = await check.check();
    expect(outcomeOf(reports, CHANNEL_A)).toMatchObject({ localDate: "2026-02-04", outcome: "wait" });
    expect(outcomeOf(reports, CHANNEL_B)).toMatchObject({ localDate: "2026-02-03", outcome: "wait" });

    core.clock.set("2026-02-03T19:00:00Z");
    reports = await check.check();
    expect(outcomeOf(reports, CHANNEL_A)).toMatchObject({ localDate: "2026-02-04", outcome: "posted" });
    expect(outcomeOf(reports, CHANNEL_B)?.outcome).toBe("wait");

    core.clock.set("2026-02-03T20:00:00Z");
    reports = await check.check();
    expect(outcomeOf(reports, CHANNEL_A)?.outcome).toBe("done");
    expect(outcomeOf(reports, CHANNEL_B)).toMatchObject({ localDate: "2026-02-03", outcome: "posted" });

    expect(poster.posts(CHANNEL_A)[0]?.content).toContain("Daily summary — 2026-02-04");
    expect(poster.posts(CHANNEL_B)[0]?.content).toContain("Daily summary — 2026-02-03");
    expect(await core.deps.store.summaryPost(`${GUILD_A}:${CHANNEL_A}:2026-02-04`)).toBeDefined();
    expect(await core.deps.store.summaryPost(`${GUILD_B}:${CHANNEL_B}:2026-02-03`)).toBeDefined();
  });

  it("reports a channel it cannot post to, keeps posting elsewhere, and recovers when it is fixed", async () => {
    const { poster, checker } = await setup({ at: "2026-02-04T09:00:00Z" });
    await core.deps.store.updateGuildSettings(GUILD_B, { summaryChannelId: CHANNEL_B });
    const broken = poster.channels.get(CHANNEL_A);
    if (broken) broken.broken = "the bot lacks permission to post there";
    const check = checker();

    let reports = await check.check();
    expect(outcomeOf(reports, CHANNEL_A)?.outcome).toBe("failed");
    expect(outcomeOf(reports, CHANNEL_B)?.outcome).toBe("posted");
    expect(poster.posts(CHANNEL_B)).toHaveLength(1);
    const problem = (await core.deps.store.guildSettings(GUILD_A))?.summaryProblem;
    expect(problem).toContain(CHANNEL_A);
    expect(problem).toContain("the bot lacks permission to post there");

    // Not hammered every minute: the next tries wait.
    const sends = poster.sendCalls;
    core.clock.set("2026-02-04T09:01:00Z");
    reports = await check.check();
    expect(outcomeOf(reports, CHANNEL_A)?.outcome).toBe("backing off");
    expect(poster.sendCalls).toBe(sends);

    if (broken) delete broken.broken;
    core.clock.set("2026-02-04T09:31:00Z");
    reports = await check.check();
    expect(outcomeOf(reports, CHANNEL_A)?.outcome).toBe("posted");
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);
    expect((await core.deps.store.guildSettings(GUILD_A))?.summaryProblem).toBeUndefined();
    expect(poster.posts(CHANNEL_B)).toHaveLength(1);
  });

  it("skips a quiet day when the server asks, and posts once news arrives", async () => {
    const { poster, checker } = await setup({ at: "2026-02-03T09:00:00Z", skipQuietDays: true });
    const check = checker();
    // The first post: everything is new to a channel that never had one.
    expect(outcomeOf(await check.check())?.outcome).toBe("posted");

    core.clock.set("2026-02-04T09:00:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("skip");
    core.clock.set("2026-02-04T09:30:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("skip");
    expect(poster.posts(CHANNEL_A)).toHaveLength(1);

    await core.deps.retriever.addArticles([DRONE]);
    core.clock.set("2026-02-04T10:01:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("posted");
    const post = poster.posts(CHANNEL_A)[1]?.content ?? "";
    expect(post.split("\n")[1]).toBe("**New since 2026-02-03 09:00 UTC** (1 article)");
    expect(post).toContain("Arabian Sea");
  });

  it("posts a quiet day when the server does not skip them", async () => {
    const { poster, checker } = await setup({ at: "2026-02-03T09:00:00Z" });
    const check = checker();
    await check.check();
    core.clock.set("2026-02-04T09:00:00Z");
    expect(outcomeOf(await check.check())?.outcome).toBe("posted");
    expect(poster.posts(CHANNEL_A)[1]?.content.split("\n")[1]).toMatch(/^Nothing new since/);
  });

  it("uses SUMMARY_CHANNEL_ID in the server it belongs to, unless that server chose its own channel", async () => {
    core = await testCore([TALKS], "2026-02-04T10:00:00Z");
    const poster = new FakePoster(core.clock, { [CHANNEL_A]: GUILD_A, [CHANNEL_B]: GUILD_A });
    const defaults = { channelId: CHANNEL_A, time: "10:00", timeZone: "UTC" };
    const reports = await createSummaryChecker(core.deps, { poster, defaults }).check();
    expect(reports).toEqual([
      { guildId: GUILD_A, channelId: CHANNEL_A, localDate: "2026-02-04", outcome: "posted" },
    ]);

    await core.deps.store.updateGuildSettings(GUILD_A, { summaryChannelId: CHANNEL_B });
    const next = await createSummaryChecker(core.deps, { poster, defaults }).check();
    expect(next.map((r) => r.channelId)).toEqual([CHANNEL_B]);
  });

  it("posts nowhere in a server that turned the summary off, SUMMARY_CHANNEL_ID notwithstanding", async () => {
    core = await testCore([TALKS], "2026-02-04T10:00:00Z");
    const poster = new FakePoster(core.clock, { [CHANNEL_A]: GUILD_A });
    await core.deps.store.updateGuildSettings(GUILD_A, { summaryOff: true });
    const defaults = { channelId: CHANNEL_A, time: "10:00", timeZone: "UTC" };
    expect(await createSummaryChecker(core.deps, { poster, defaults }).check()).toEqual([]);
    expect(poster.posts(CHANNEL_A)).toEqual([]);
  });
});

describe("summaryDue", () => {
  const target: SummaryTarget = {
    guildId: GUILD_A,
    channelId: CHANNEL_A,
    time: "09:00",
    timeZone: "Europe/Berlin",
    skipQuietDays: true,
  };
  const claim = {
    key: `${GUILD_A}:${CHANNEL_A}:2026-02-04`,
    guildId: GUILD_A,
    channelId: CHANNEL_A,
    localDate: "2026-02-04",
    claimedAt: "2026-02-04T08:00:00.000Z",
  };
  // 09:00 in Berlin in winter is 08:00 UTC.
  const nine = new Date("2026-02-04T08:00:00Z");

  it("decides from the local time and today's record alone", () => {
    expect(summaryDue(new Date("2026-02-04T07:59:00Z"), target, undefined, true)).toBe("wait");
    expect(summaryDue(nine, target, undefined, true)).toBe("post");
    expect(summaryDue(nine, target, undefined, false)).toBe("skip");
    expect(summaryDue(nine, { ...target, skipQuietDays: false }, undefined, false)).toBe("post");
    expect(summaryDue(nine, target, claim, false)).toBe("verify");
    expect(summaryDue(nine, target, { ...claim, messageId: "1", postedAt: claim.claimedAt }, true)).toBe(
      "done",
    );
  });
});

describe("scheduleSummaries", () => {
  it("checks at start-up (catch-up) and stops cleanly", async () => {
    core = await testCore([TALKS], "2026-02-04T12:00:00Z");
    const poster = new FakePoster(core.clock, { [CHANNEL_A]: GUILD_A });
    const schedule = scheduleSummaries(core.deps, {
      poster,
      defaults: { channelId: CHANNEL_A, time: "09:00", timeZone: "UTC" },
    });
    try {
      const key = `${GUILD_A}:${CHANNEL_A}:2026-02-04`;
      await vi.waitFor(async () => expect((await core.deps.store.summaryPost(key))?.messageId).toBeDefined());
      // The post is recorded before the start-up check returns, and concurrent calls share a check
      // in progress: let that one finish, so the next check is a fresh one.
      await schedule.check();
      expect(poster.posts(CHANNEL_A)).toHaveLength(1);
      expect(await schedule.check()).toEqual([
        { guildId: GUILD_A, channelId: CHANNEL_A, localDate: "2026-02-04", outcome: "done" },
      ]);
    } finally {
      await schedule.stop();
    }
  });
});
