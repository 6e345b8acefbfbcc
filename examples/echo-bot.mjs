// An echo bot: accepts every friend request and answers every message with "echo: …". It keeps
// its place in a state file, so after a restart it answers what came while it was down, once.
//   BASE_URL=… PHONE=… PASSWORD=… STATE=./echo-bot.json node echo-bot.mjs
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import process from "node:process";
import {
  CHAT_TYPE,
  ChatSession,
  createApiClient,
  HANDLE_RESULT,
  items,
  MESSAGE_TYPE,
  unwrap,
} from "easy-chat-edge-client";

const { BASE_URL: baseUrl, PHONE: phone, PASSWORD: password } = process.env;
const stateFile = process.env.STATE ?? "echo-bot.json";
const WebSocket = globalThis.WebSocket ?? (await import("ws")).WebSocket; // Node 20 has none

const { token, user } = await unwrap(
  createApiClient({ baseUrl }).POST("/v1/user/login", { body: { phone, password } }),
);
const api = createApiClient({ baseUrl, token: () => token });
// startAt "read": a conversation without a saved cursor (on a first start, or one someone began
// while the bot was down) starts after the bot's own read seq — its last reply moved it there —
// so nothing is left unanswered; by default it would start at the newest message.
const session = new ChatSession({ baseUrl, token, WebSocket, startAt: "read" });

// Where it left off: the cursors and unanswered replies of its last run. The replies it had not
// got an ack for go out again under their ids (stored once).
if (existsSync(stateFile)) {
  const restored = session.importState(JSON.parse(readFileSync(stateFile, "utf8")));
  for (const reply of restored) reply.then(saveState, () => {});
}
/** Written after each handled event, atomically (a crash mid-write must not lose the cursors). */
function saveState() {
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(session.exportState()));
  renameSync(`${stateFile}.tmp`, stateFile);
}

session.on("message", (message) => {
  if (message.sendId === user.id) return;
  const to = message.chatType === CHAT_TYPE.group ? message.recvId : message.sendId;
  // The reply's id comes from the message: answering it again after a restart stores it once.
  const reply = session.send(
    {
      chatType: message.chatType,
      recvId: to,
      msg: { mType: MESSAGE_TYPE.text, content: `echo: ${message.content}` },
    },
    { id: `echo-${message.msgId}` },
  );
  saveState(); // the cursor has moved and the reply is in the outbox: both survive a restart
  reply.then(() => saveState(), (error) => console.error(`not answered: ${error.message}`));
});

async function accept(request) {
  await unwrap(api.PUT("/v1/social/friend/putIn", {
    body: { friendReqId: request.id, handleResult: HANDLE_RESULT.passed },
  })).catch((error) => console.error(`friend request ${request.id}: ${error.message}`));
}
/** The requests that came while it was down (or that the server did not push). */
async function acceptPending() {
  const fetchPage = (cursor) =>
    unwrap(api.GET("/v1/social/friend/putIns", { params: { query: { cursor } } }));
  for await (const request of items(fetchPage)) await accept(request);
}
session.on("friend.request", ({ request }) => void accept(request));
// Servers before CONTRACT §14's pushes send no `friend.request`: look every few seconds too.
const poll = setInterval(() => void acceptPending(), 3000);

session.on("ready", () => console.log(`echo bot ${user.id} is online`));
process.on("SIGTERM", () => {
  clearInterval(poll);
  session.close();
});
await acceptPending();
session.start();
