/**
 * The packed SDK on Node 20 with `ws` through a real server restart: the service (`wrangler
 * dev`) is stopped while a session is open, 120 sends are queued while it is down for 10 s, and
 * once it is back on the same port and storage every send is acked once, in order, with no error
 * frame and no 4008 close; the receiver's history holds each message once.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type Service, type ServiceSetup, startService } from "../browser/service.ts";
import { installPackedSdk, type PackedApp, runIn, serviceClient } from "./packed-app.ts";

let app: PackedApp;
let service: Service | undefined;
let setup: ServiceSetup;

const { call, register } = serviceClient(() => `http://127.0.0.1:${setup.port}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForOutput(output: () => string, text: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in: ${output()}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  app = installPackedSdk();
  setup = {
    port: await freePort(),
    state: mkdtempSync(path.join(tmpdir(), "easy-chat-restart-")),
    secret: randomBytes(32).toString("hex"),
  };
  service = await startService([], setup);
});

afterAll(async () => {
  await service?.stop();
  if (setup) rmSync(setup.state, { recursive: true, force: true });
  app?.remove();
});

describe("the packed SDK through a server restart (Node 20 + ws)", () => {
  it(
    "acks 120 sends queued while the server was down for 10 s: once each, in order, none refused",
    async () => {
      const alice = await register("Alice", "alice-password");
      const bob = await register("Bob", "bob-password");
      const asked = await call("POST", "/v1/social/friend/putIn", { userUid: bob.id }, alice.token);
      await call("PUT", "/v1/social/friend/putIn", {
        friendReqId: asked.id,
        handleResult: 2,
      }, bob.token);

      let output = "";
      const run = runIn(
        app,
        "node",
        ["queued-restart.mjs"],
        {
          BASE_URL: `http://127.0.0.1:${setup.port}`,
          PHONE: alice.phone,
          PASSWORD: alice.password,
          FRIEND_ID: bob.id,
        },
        120_000,
        (chunk) => output += chunk,
      );
      await waitForOutput(() => output, "READY");
      await service!.stop();
      service = undefined;
      await waitForOutput(() => output, "QUEUED");
      await sleep(10_000);
      service = await startService([], setup);
      const { code, stdout, stderr } = await run;
      expect(code, stderr).toBe(0);
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
      expect(result).toMatchObject({ acked: 120, inOrder: true, refusals: 0 });
      expect(result.closes).not.toContain(4008);

      const conversationId = [alice.id, bob.id].sort().join("_");
      const contents: string[] = [];
      for (const afterSeq of [0, 100]) {
        const query = `conversationId=${conversationId}&afterSeq=${afterSeq}&count=100`;
        const { list } = await call("GET", `/v1/im/chatlog?${query}`, undefined, bob.token);
        contents.push(...list.map((m: { content: string }) => m.content));
      }
      expect(contents).toEqual(Array.from({ length: 120 }, (_, i) => `q${i + 1}`));
    },
    150_000,
  );
});
