/**
 * The SDK in Chromium on a page of another origin (listed in ALLOWED_ORIGINS) against the real
 * service: CORS lets its HTTP calls through (X-Request-Id readable), its socket connects with the
 * token as subprotocol, and a message sent by one user reaches the other's session; a session
 * pointed at a closed port keeps reconnecting with backoff. A page on an origin that is not
 * listed gets nothing.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.ts";
import { freshPhone } from "./pages.ts";
import { freePort, type Service, startService } from "./service.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PAGE = `<!doctype html><meta charset="utf-8"><title>another app</title>
<script type="module">import * as sdk from "/sdk.js"; window.sdk = sdk; document.title = "ready";</script>`;

let service: Service;
let browser: Browser;
let site: Server;
let sitePort: number;
let bundleDir: string;

/** The SDK as one ES module, the way another app's bundler would ship it. */
async function bundleSdk(): Promise<string> {
  bundleDir = mkdtempSync(path.join(tmpdir(), "easy-chat-sdk-"));
  await build({
    configFile: false,
    logLevel: "warn",
    build: {
      outDir: bundleDir,
      emptyOutDir: true,
      lib: {
        entry: path.join(ROOT, "shared/client/index.ts"),
        formats: ["es"],
        fileName: () => "sdk.js",
      },
    },
  });
  return readFileSync(path.join(bundleDir, "sdk.js"), "utf8");
}

beforeAll(async () => {
  const sdk = await bundleSdk();
  sitePort = await freePort();
  site = createServer((request, response) => {
    const script = request.url === "/sdk.js";
    response.writeHead(200, { "Content-Type": script ? "text/javascript" : "text/html" });
    response.end(script ? sdk : PAGE);
  });
  await new Promise<void>((resolve) => site.listen(sitePort, "127.0.0.1", resolve));
  service = await startService([`http://127.0.0.1:${sitePort}`]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await new Promise((resolve) => site?.close(resolve));
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

async function openSite(host: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://${host}:${sitePort}/`);
  // deno-lint-ignore no-explicit-any -- runs in the page, whose DOM types this project lacks
  await page.waitForFunction(() => (globalThis as any).document.title === "ready");
  return page;
}

describe("the SDK on another origin", () => {
  it("registers, befriends and chats against the API (CORS and the WebSocket)", async () => {
    const page = await openSite("127.0.0.1");
    const result = await page.evaluate(async ({ baseUrl, annPhone, benPhone }) => {
      // deno-lint-ignore no-explicit-any -- the bundle, as the page loaded it
      const { createApiClient, unwrap, ChatSession, ChatError } = (globalThis as any).sdk;
      const register = async (phone: string, nickname: string) => {
        const { token } = await unwrap(
          createApiClient({ baseUrl }).POST("/v1/user/register", {
            body: { phone, password: "secret-pass", nickname },
          }),
        );
        const api = createApiClient({ baseUrl, token: () => token });
        const { info } = await unwrap(api.GET("/v1/user/user"));
        return { token, api, id: info.id };
      };
      const ann = await register(annPhone, "Ann");
      const ben = await register(benPhone, "Ben");
      const asked = await unwrap(
        ann.api.POST("/v1/social/friend/putIn", { body: { userUid: ben.id } }),
      );
      await unwrap(
        ben.api.PUT("/v1/social/friend/putIn", {
          body: { friendReqId: asked.id, handleResult: 2 },
        }),
      );

      const session = new ChatSession({ baseUrl, token: ben.token });
      const received = new Promise((resolve) => session.on("message", resolve));
      const ready = new Promise((resolve) => session.on("ready", resolve));
      session.start();
      await ready;
      await unwrap(ann.api.POST("/v1/im/chat", {
        body: {
          chatType: 2,
          recvId: ben.id,
          msg: { mType: 0, content: "from another origin" },
          clientMsgId: "x-1",
        },
      }));
      const message = await received;
      session.close();

      const refused = await ann.api.GET("/v1/social/group/users", {
        params: { query: { groupId: "nope" } },
      })
        .then(() => null, (error: unknown) => error);
      return {
        message,
        error: refused instanceof ChatError
          ? { code: refused.code, status: refused.status, requestId: refused.requestId }
          : String(refused),
      };
    }, { baseUrl: service.url, annPhone: freshPhone(), benPhone: freshPhone() });

    expect(result.message).toMatchObject({ content: "from another origin", seq: 1 });
    // Only readable because CORS exposes X-Request-Id to the page.
    // "nope" is no id at all: a 400 (100002), not a 404.
    expect(result.error).toMatchObject({
      code: 100002,
      status: 400,
      requestId: expect.stringMatching(/\S/),
    });
  });

  it("reconnects to a closed port with backoff (counted attempts) and stops on close()", async () => {
    const page = await openSite("127.0.0.1");
    const port = await freePort();
    const outcome = await page.evaluate(async (baseUrl) => {
      // deno-lint-ignore no-explicit-any -- the bundle, as the page loaded it
      const { ChatSession } = (globalThis as any).sdk;
      const session = new ChatSession({
        baseUrl,
        token: "nobody-checks-it",
        backoff: { initialMs: 10, maxMs: 50 },
      });
      const attempts = await new Promise((resolve) => {
        let count = 0;
        session.on("disconnect", () => {
          if (++count === 3) resolve(count);
        });
        session.start();
      });
      session.close();
      return { attempts, state: session.state };
    }, `http://127.0.0.1:${port}`);
    expect(outcome).toEqual({ attempts: 3, state: "stopped" });
  });

  it("gets nothing from a page whose origin is not listed", async () => {
    const page = await openSite("localhost");
    const outcome = await page.evaluate(async (baseUrl) => {
      // deno-lint-ignore no-explicit-any -- the bundle, as the page loaded it
      const { createApiClient } = (globalThis as any).sdk;
      return await createApiClient({ baseUrl }).GET("/health").then(
        () => "answered",
        (error: Error) => `${error.name}: ${error.message}`,
      );
    }, service.url);
    expect(outcome).toBe("TypeError: Failed to fetch");
  });
});
