/**
 * The SDK from its packed tarball, installed into a fresh app outside this repository, against
 * the real service (`wrangler dev`, test/browser/service.ts): examples/hello.mjs on Node 20 with
 * `ws` and on Deno logs in, sends and gets the echo bot's answer; examples/echo-bot.mjs accepts
 * a friend request and, restarted, answers what came while it was down, once; a connect to a
 * closed port is retried on every runtime and ends cleanly.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type Service, startService } from "../browser/service.ts";
import {
  DENO,
  installPackedSdk,
  type PackedApp,
  runIn,
  serviceClient,
  startIn,
} from "./packed-app.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let app: PackedApp;
let service: Service;
let bot: ReturnType<typeof startIn>;
const alice = { phone: "", password: "alice-password", id: "", token: "" };
const botUser = { phone: "", password: "bot-password", id: "" };
const carol = { phone: "", password: "carol-password", id: "", token: "" };

const { call, register } = serviceClient(() => service.url);

async function waitUntil(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const botEnv = () => ({
  BASE_URL: service.url,
  PHONE: botUser.phone,
  PASSWORD: botUser.password,
  STATE: "echo-bot.json",
});
const helloEnv = () => ({
  BASE_URL: service.url,
  PHONE: alice.phone,
  PASSWORD: alice.password,
  FRIEND_ID: botUser.id,
});

/** `user`'s messages from the bot, oldest first. */
async function echoes(user = alice): Promise<string[]> {
  const conversationId = [user.id, botUser.id].sort().join("_");
  const query = `conversationId=${conversationId}&count=100`;
  const { list } = await call("GET", `/v1/im/chatlog?${query}`, undefined, user.token);
  return list.filter((m: { sendId: string }) => m.sendId === botUser.id).map((m: {
    content: string;
  }) => m.content);
}

beforeAll(async () => {
  app = installPackedSdk();
  service = await startService();
  Object.assign(alice, await register("Alice", alice.password));
  Object.assign(botUser, await register("Echo", botUser.password));
  Object.assign(carol, await register("Carol", carol.password));
  bot = startIn(app, "node", ["echo-bot.mjs"], botEnv());
  for (const user of [alice, carol]) {
    await call("POST", "/v1/social/friend/putIn", { userUid: botUser.id }, user.token);
    await waitUntil(async () => {
      const { list } = await call("GET", "/v1/social/friends", undefined, user.token);
      return list.some((friend: { friendUid: string }) => friend.friendUid === botUser.id);
    }, "the bot to accept the friend request");
  }
});

afterAll(async () => {
  await bot?.stop();
  await service?.stop();
  app?.remove();
});

describe("the packed SDK in another app", () => {
  it.each([
    ["Node 20 with ws", "node", ["hello.mjs"]],
    ["Node's built-in WebSocket (Node 22's)", "node", ["--experimental-websocket", "hello.mjs"]],
    ["Deno with its own WebSocket", DENO, ["run", "-A", "hello.mjs"]],
  ])("logs in, sends and receives (examples/hello.mjs): %s", async (_, command, args) => {
    const run = await runIn(app, command, args, helloEnv());
    expect(run, bot.output()).toMatchObject({ code: 0, stdout: "echo: hello\n" });
  });

  it("the echo bot answers what came while it was down, once each, after a restart", async () => {
    await bot.stop();
    const before = (await echoes()).length;
    const send = (from: typeof alice, content: string) =>
      call("POST", "/v1/im/chat", {
        chatType: 2,
        recvId: botUser.id,
        msg: { mType: 0, content },
        clientMsgId: crypto.randomUUID(),
      }, from.token);
    for (const content of ["while-down-1", "while-down-2", "while-down-3"]) {
      await send(alice, content);
    }
    // Carol's first message: a conversation the bot's state file (written when it answered the
    // hello runs above) has never seen.
    await send(carol, "first words");
    bot = startIn(app, "node", ["echo-bot.mjs"], botEnv());
    await waitUntil(async () => (await echoes()).length >= before + 3, "the three echoes");
    await waitUntil(async () => (await echoes(carol)).length >= 1, "Carol's echo");
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate would come by now
    expect((await echoes()).slice(before)).toEqual([
      "echo: while-down-1",
      "echo: while-down-2",
      "echo: while-down-3",
    ]);
    expect(await echoes(carol)).toEqual(["echo: first words"]);
  });

  it("types an app's TypeScript: tsc (strict, library files checked) and deno check", async () => {
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    const typed = await runIn(app, "node", [tsc, "-p", "tsconfig.json"], {}, 60_000);
    expect(typed.stdout + typed.stderr).toBe("");
    expect(typed.code).toBe(0);
    const checked = await runIn(app, DENO, ["check", "--quiet", "typed.ts"], {}, 60_000);
    expect(checked, checked.stderr).toMatchObject({ code: 0 });
  });

  it.each([
    ["Node with ws", "node", ["closed-port.mjs"], { USE_WS: "1" }],
    ["Node's built-in WebSocket", "node", ["--experimental-websocket", "closed-port.mjs"], {}],
    ["Deno", DENO, ["run", "-A", "closed-port.mjs"], {}],
  ])("reconnects to a closed port and exits after close(): %s", async (_, command, args, env) => {
    const PORT = String(await freePort());
    const run = await runIn(app, command, args, { PORT, ...env }, 15_000);
    expect(run).toMatchObject({ code: 0, stdout: "attempts 3 state stopped\n" });
  });
});
