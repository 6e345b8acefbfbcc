/**
 * Media in the web app, in Chromium against the real service (`wrangler dev`, its local R2):
 * Alice attaches an image and a file and records a voice note (Chromium's fake microphone);
 * Bob sees the image loaded (naturalWidth > 0), the file with its name and size, and can play
 * the voice note (duration > 0, time moving).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.ts";
import {
  askFriend,
  expectTexts,
  freshPhone,
  openPage,
  register,
  screenshot,
  tab,
} from "./pages.ts";
import { gradientPng } from "./png.ts";
import { type Service, startService } from "./service.ts";

/** What the test reads of the page's elements (this project's types have no DOM). */
type ImageElement = { complete: boolean; naturalWidth: number };
type AudioElement = {
  play(): Promise<void>;
  pause(): void;
  duration: number;
  currentTime: number;
};

let service: Service;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchChromium([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
  ]);
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe("media in the web app", () => {
  it("sends an image, a file and a voice note that the other side sees and plays", async () => {
    const alice = await openPage(browser);
    const bob = await openPage(browser, true);
    const bobPhone = freshPhone();
    await register(alice.page, service.url, freshPhone(), "Alice");
    await register(bob.page, service.url, bobPhone, "Bob");
    await askFriend(alice.page, bobPhone);
    await tab(bob.page, "Friends");
    await bob.page.getByRole("button", { name: "Accept" }).click();
    await bob.page.getByTestId("friends").getByText("Alice").click();
    // Alice's Friends view loaded before Bob accepted: opening it again lists him.
    await tab(alice.page, "Chats");
    await tab(alice.page, "Friends");
    await alice.page.getByTestId("friends").getByText("Bob").click();

    const attach = alice.page.getByTestId("attach-input");
    await attach.setInputFiles({
      name: "sunset.png",
      mimeType: "image/png",
      buffer: gradientPng(480, 320),
    });
    await alice.page.getByTestId("media-image").waitFor();
    await attach.setInputFiles({
      name: "plan.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Saturday: lake, then dinner.\n".repeat(40)),
    });
    await alice.page.getByTestId("media-file").waitFor();
    await alice.page.getByRole("button", { name: "Record a voice note" }).click();
    await alice.page.waitForTimeout(1500);
    await alice.page.getByRole("button", { name: "Stop and send the voice note" }).click();
    await alice.page.getByTestId("media-audio").waitFor();

    // Bob: the image loads, the file shows its name and size, the voice note plays.
    const image = bob.page.getByTestId("media-image");
    await expect.poll(
      () =>
        image.evaluate((node) => {
          const img = node as unknown as ImageElement;
          return img.complete ? img.naturalWidth : 0;
        }),
      { timeout: 15_000 },
    ).toBe(480);
    await expectTexts(bob.page.getByTestId("media-file").locator(".file-name"), ["plan.txt"]);
    await expectTexts(bob.page.getByTestId("media-file").locator("small"), ["1.1 KB"]);
    const audio = bob.page.getByTestId("media-audio");
    await audio.waitFor();
    const played = await audio.evaluate(async (node) => {
      const element = node as unknown as AudioElement;
      await element.play();
      await new Promise((resolve) => setTimeout(resolve, 700));
      element.pause();
      return { duration: element.duration, currentTime: element.currentTime };
    });
    expect(played.duration).toBeGreaterThan(0);
    expect(played.currentTime).toBeGreaterThan(0);
    await screenshot(alice.page, "media");
    await screenshot(bob.page, "media-mobile");

    await bob.page.getByRole("button", { name: "‹ Back" }).click();
    await expectTexts(bob.page.getByTestId("conversation").locator(".preview"), ["[voice]"]);
  }, 180_000);
});
