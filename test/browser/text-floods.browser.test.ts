/**
 * A message of 3,000 combining marks (well-formed, so the service takes it) draws only inside its
 * own bubble in the web app, in Chromium against the real service: the bubble, the chat's header
 * and the list row that preview it clip their painting to their box (`contain: paint`), the
 * bubble above it and the header look the same, pixel for pixel, before and after it arrives,
 * and its bubble's box stays within the message list. (How far the marks reach depends on the
 * font: Debian's DejaVu and Liberation overlap repeated marks instead of stacking them, so here
 * the containment is what the pixels cannot show on their own.)
 */
import { describe, expect, it } from "vitest";
import {
  askFriend,
  expectTexts,
  freshPhone,
  register,
  screenshot,
  sendMessage,
  tab,
} from "./pages.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();

interface PageWindow {
  getComputedStyle(node: unknown): { contain: string };
}

/** One base letter under 1,500 marks stacked above and 1,500 stacked below it. */
const FLOOD = `Z${"\u030D".repeat(1500)}${"\u0329".repeat(1500)}`;

describe("the web app and a flood of combining marks", () => {
  it("keeps the marks inside their bubble: neighbours and header unchanged", async () => {
    const { page: alice } = await suite.newPage();
    const { page: bob } = await suite.newPage();
    const bobPhone = freshPhone();
    await register(alice, suite.url(), freshPhone(), "Alice");
    await register(bob, suite.url(), bobPhone, "Bob");
    await askFriend(alice, bobPhone);
    await tab(bob, "Friends");
    await bob.getByRole("button", { name: "Accept" }).click();
    await bob.getByTestId("friends").getByText("Alice").click();
    await sendMessage(bob, "the message above");

    await tab(alice, "Chats");
    await alice.getByText("Bob", { exact: true }).first().click();
    const texts = alice.getByTestId("message").locator(".text");
    await expectTexts(texts, ["the message above"]);
    await alice.mouse.move(0, 0);
    await alice.getByTestId("typing").waitFor({ state: "hidden" });
    const neighbour = alice.getByTestId("message").first();
    const header = alice.locator(".chat-head");
    const neighbourBefore = await neighbour.screenshot();
    const headerBefore = await header.screenshot();

    await sendMessage(bob, FLOOD);
    await expect.poll(() => texts.count(), { timeout: 15_000 }).toBe(2);
    await alice.mouse.move(0, 0);
    await alice.getByTestId("typing").waitFor({ state: "hidden" });
    // Let the new bubble be laid out and painted (and any scroll settle) before comparing.
    await alice.waitForTimeout(500);
    await screenshot(alice, "combining-mark-flood");

    const flood = alice.getByTestId("message").nth(1);
    const row = alice.getByTestId("conversation").filter({ hasText: "Bob" });
    for (const element of [flood, header, row]) {
      // The page's window, typed here: the test project has no DOM types.
      const contain = await element.evaluate((node) =>
        (globalThis as unknown as PageWindow).getComputedStyle(node).contain
      );
      const name = await element.evaluate((node) => node.className);
      expect(contain, name).toMatch(/paint|strict|content/);
    }
    const list = await alice.getByTestId("messages").boundingBox();
    const box = await flood.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(list!.x);
    expect(box!.x + box!.width).toBeLessThanOrEqual(list!.x + list!.width);
    expect(Buffer.compare(await neighbour.screenshot(), neighbourBefore)).toBe(0);
    expect(Buffer.compare(await header.screenshot(), headerBefore)).toBe(0);
  });
});
