// The ten-line app: log in, say hello to a friend, print the answer. Node 20 (with `ws`), Node 22+,
// Deno: `BASE_URL=… PHONE=… PASSWORD=… FRIEND_ID=… node hello.mjs` (docs/sdk.md "Examples").
import process from "node:process";
import { CHAT_TYPE, ChatSession, createApiClient, unwrap } from "easy-chat-edge-client";
const { BASE_URL: baseUrl, PHONE: phone, PASSWORD: password, FRIEND_ID: friendId } = process.env;
const WebSocket = globalThis.WebSocket ?? (await import("ws")).WebSocket; // Node 20 has none
const login = createApiClient({ baseUrl }).POST("/v1/user/login", { body: { phone, password } });
const session = new ChatSession({ baseUrl, token: (await unwrap(login)).token, WebSocket });
session.on("message", (m) => m.sendId === friendId && (console.log(m.content), session.close()));
session.start();
const hello = { mType: 0, content: "hello" }; // mType 0: text
await session.send({ chatType: CHAT_TYPE.single, recvId: friendId, msg: hello });
