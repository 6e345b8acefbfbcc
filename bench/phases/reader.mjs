/**
 * The users the GET benchmarks read as: `readers` readers, each with the same `readerFriends`
 * friends and one conversation with each (one message sent through `POST /v1/im/chat`), so the
 * lists read are not empty. The loops spread their requests over the readers round robin: each
 * user may make 600 reads a minute (CONTRACT §15), and a 429 would stop the run, so a run needs
 * readers × 600 ≥ the GETs of the whole phase (about 13,000 at 1,200/s; the default 48 readers
 * leave room for a machine twice as fast; raise `--readers` for a faster one).
 */
import { randomUUID } from "node:crypto";
import { step } from "../lib/progress.mjs";
import { befriend, seedUsers } from "../lib/seed.mjs";
import { inParallel } from "../lib/ws-client.mjs";

/** Creates the readers, their friends and conversations; returns the readers. */
export async function prepareReaders(ctx) {
  const { readers: readerCount, readerFriends: count } = ctx.flags;
  const progress = step("prepare readers (friends + conversations)", readerCount * count);
  const readers = await seedUsers(ctx.app, readerCount, "reader");
  const friends = await seedUsers(ctx.app, count, "readerfriend");
  await inParallel(readers.length * count, 8, async (n) => {
    const reader = readers[Math.floor(n / count)];
    const friend = friends[n % count];
    await befriend(ctx.api, reader, friend);
    await ctx.api.call("POST", "/v1/im/chat", reader.token, {
      chatType: 2,
      recvId: friend.id,
      msg: { mType: 0, content: `hello ${n}` },
      clientMsgId: randomUUID(),
    });
    progress.tick();
  });
  // Each reader's first list read catches its list up with the conversations (it was away when
  // its messages went out): a one-time cost per user, not what a read costs, so it is paid here.
  await inParallel(
    readers.length,
    4,
    (i) => ctx.api.call("GET", "/v1/im/conversation", readers[i].token),
  );
  progress.done();
  return readers;
}
