/**
 * The user the GET benchmarks read as: `readerFriends` friends and one conversation with each
 * (one message sent through `POST /v1/im/chat`), so the lists read are not empty.
 */
import { randomUUID } from "node:crypto";
import { step } from "../lib/progress.mjs";
import { befriend, seedUsers } from "../lib/seed.mjs";
import { inParallel } from "../lib/ws-client.mjs";

/** Creates the reader and its friends and conversations; returns the reader. */
export async function prepareReader(ctx) {
  const count = ctx.flags.readerFriends;
  const progress = step("prepare reader (friends + conversations)", count);
  const [reader, ...friends] = await seedUsers(ctx.app, count + 1, "reader");
  await inParallel(friends.length, 4, async (i) => {
    await befriend(ctx.api, reader, friends[i]);
    await ctx.api.call("POST", "/v1/im/chat", reader.token, {
      chatType: 2,
      recvId: friends[i].id,
      msg: { mType: 0, content: `hello ${i}` },
      clientMsgId: randomUUID(),
    });
    progress.tick();
  });
  progress.done();
  return reader;
}
