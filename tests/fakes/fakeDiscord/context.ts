import type { CommandRegistry } from "./commands.ts";
import type { InteractionRegistry } from "./interactions.ts";
import type { MessageStore } from "./messageStore.ts";
import type { UploadedFile } from "./router.ts";
import type { FakeChannel, JsonObject } from "./types.ts";
import type { World } from "./world.ts";

/** What the route handlers share. */
export interface FakeContext {
  world: World;
  store: MessageStore;
  interactions: InteractionRegistry;
  commands: CommandRegistry;
  clock: () => number;
  interactionDeadlineMs: number;
  webhookTokenLifetimeMs: number;
  /** http://127.0.0.1:PORT */
  baseUrl: () => string;
  /** Sends THREAD_CREATE for a new thread. */
  announceThread: (thread: FakeChannel) => void;
}

/** Attachment objects for uploaded files. */
export function attachmentsFor(ctx: FakeContext, files: UploadedFile[]): JsonObject[] {
  return files.map((f) => {
    const id = ctx.world.nextId();
    const url = `${ctx.baseUrl()}/attachments/${id}/${encodeURIComponent(f.filename)}`;
    return { id, filename: f.filename, size: f.size, url, proxy_url: url, content_type: f.contentType };
  });
}
