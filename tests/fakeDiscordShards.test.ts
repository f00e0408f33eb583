// The loopback Discord's sharding: GET /gateway/bot recommends a shard count, IDENTIFY with
// [id, count] gets only that shard's servers, and each event reaches only the shard of its server
// (DMs shard 0), by Discord's formula. Real discord.js clients, one per shard.
import { Client, Events, GatewayIntentBits, type Interaction } from "discord.js";
import { afterEach, expect, it } from "vitest";
import { type FakeDiscord, guildShard, startFakeDiscord } from "./fakes/fakeDiscord.ts";

let discord: FakeDiscord | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await discord?.close();
});

function shardClient(
  fake: FakeDiscord,
  shard: number,
  count: number,
): { client: Client; seen: Interaction[] } {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    shards: [shard],
    shardCount: count,
    rest: { api: fake.apiUrl, globalRequestsPerSecond: 1000 },
  });
  const seen: Interaction[] = [];
  client.on(Events.InteractionCreate, (interaction) => seen.push(interaction));
  clients.push(client);
  return { client, seen };
}

it("splits servers and their events between shards as Discord does", async () => {
  const fake = await startFakeDiscord({ shards: 2 });
  discord = fake;
  const onZero = fake.addGuild("Zero", { shard: [0, 2] });
  const onOne = fake.addGuild("One", { shard: [1, 2] });
  expect(guildShard(onZero.guild.id, 2)).toBe(0);
  expect(guildShard(onOne.guild.id, 2)).toBe(1);
  const gateway = (await (
    await fetch(`${fake.apiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${fake.token}` },
    })
  ).json()) as { shards: number };
  expect(gateway.shards).toBe(2);

  const zero = shardClient(fake, 0, 2);
  const one = shardClient(fake, 1, 2);
  await Promise.all([zero.client.login(fake.token), one.client.login(fake.token)]);
  await fake.waitForShards(2);
  await Promise.all(
    [zero, one].map(
      ({ client }) => new Promise((r) => (client.isReady() ? r(null) : client.once(Events.ClientReady, r))),
    ),
  );

  expect(zero.client.guilds.cache.has(onZero.guild.id)).toBe(true);
  expect(zero.client.guilds.cache.has(onOne.guild.id)).toBe(false);
  expect(one.client.guilds.cache.has(onOne.guild.id)).toBe(true);
  expect(one.client.guilds.cache.has(onZero.guild.id)).toBe(false);

  await fake.sendSlashCommand("ask", { question: "zero?" }, { channel: onZero.general });
  await fake.sendSlashCommand("ask", { question: "one?" }, { channel: onOne.general });
  await fake.sendSlashCommand("ask", { question: "dm?" }, { channel: fake.openDm(fake.users.member) });
  const names = (seen: Interaction[]) =>
    seen.map((i) => (i.isChatInputCommand() ? i.options.getString("question") : null));
  await expect.poll(() => names(zero.seen).length + names(one.seen).length).toBe(3);
  expect(names(zero.seen).sort()).toEqual(["dm?", "zero?"]);
  expect(names(one.seen)).toEqual(["one?"]);
});

it("closes an IDENTIFY with an impossible shard with 4010", async () => {
  const fake = await startFakeDiscord();
  discord = fake;
  const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  ws.addEventListener("message", (event) => {
    if (JSON.parse(String(event.data)).op === 10)
      ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [2, 2] } }));
  });
  expect(await closed).toBe(4010);
});
