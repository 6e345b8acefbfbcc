/**
 * Recall, edit and reply in the web app, in Chromium against the real service: two friends; one
 * replies, the other edits the quoted message and recalls another, and both pages show the
 * result — the recalled text gone, the new text marked "edited", the quote following the edit.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  askFriend,
  expectTexts,
  freshPhone,
  messageBubble,
  register,
  screenshot,
  sendMessage,
  tab,
} from "./pages.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const newPage = async () => (await suite.newPage()).page;

/** Hovers a message (its actions show on hover) and clicks one of them. */
async function onMessage(page: Page, text: string, action: "Reply" | "Edit" | "Recall") {
  const target = messageBubble(page, text);
  await target.hover();
  await target.getByRole("button", { name: action }).click();
}

const texts = (page: Page) => page.getByTestId("message").locator(".text");
const quotes = (page: Page) => page.getByTestId("quote").locator(".quote-text");

describe("the web app's message lifecycle", () => {
  it("shows a recall, an edit and a reply's quote on both sides", async () => {
    const alice = await newPage();
    const bob = await newPage();
    const bobPhone = freshPhone();
    await register(alice, suite.url(), freshPhone(), "Alice");
    await register(bob, suite.url(), bobPhone, "Bob");
    await askFriend(alice, bobPhone);
    await tab(bob, "Friends");
    await bob.getByRole("button", { name: "Accept" }).click();
    await bob.getByTestId("friends").getByText("Alice").click();

    // Alice's Friends view loaded before Bob accepted: opening it again lists him.
    await tab(alice, "Chats");
    await tab(alice, "Friends");
    await alice.getByTestId("friends").getByText("Bob").click();
    for (const text of ["oops, wrong chat", "Lunch at 12?", "Or later"]) {
      await sendMessage(alice, text);
    }
    await expectTexts(texts(bob), ["oops, wrong chat", "Lunch at 12?", "Or later"]);

    // Bob answers the question as a reply: both pages show the quote above his text.
    await onMessage(bob, "Lunch at 12?", "Reply");
    await bob.getByTestId("composing").getByText("Replying to Alice").waitFor();
    await sendMessage(bob, "Yes, 12 works");
    for (const page of [alice, bob]) {
      await expectTexts(texts(page), [
        "oops, wrong chat",
        "Lunch at 12?",
        "Or later",
        "Yes, 12 works",
      ]);
      await expectTexts(quotes(page), ["Lunch at 12?"]);
    }

    // Alice edits the quoted question and recalls her first message.
    await onMessage(alice, "Lunch at 12?", "Edit");
    // The composer takes the text to edit once it renders: typing starts after that.
    await expect.poll(() => alice.getByLabel("Message").inputValue()).toBe("Lunch at 12?");
    await alice.getByLabel("Message").fill("Lunch at 12:30?");
    await alice.getByRole("button", { name: "Save" }).click();
    await onMessage(alice, "oops, wrong chat", "Recall");

    const after = ["message recalled", "Lunch at 12:30?", "Or later", "Yes, 12 works"];
    for (const page of [bob, alice]) {
      await expectTexts(texts(page), after);
      await expectTexts(page.getByTestId("edited"), ["edited"]);
      // The quote follows the message it quotes.
      await expectTexts(quotes(page), ["Lunch at 12:30?"]);
    }
    await expectTexts(bob.locator(".recalled"), ["message recalled"]);
    await screenshot(bob, "message-lifecycle");

    // A recalled message offers nothing but deleting it from one's own history.
    const recalled = messageBubble(bob, "message recalled");
    await recalled.hover();
    await expectTexts(recalled.getByRole("button"), ["Delete"]);
    await recalled.getByRole("button", { name: "Delete" }).click();
    await expectTexts(texts(bob), ["Lunch at 12:30?", "Or later", "Yes, 12 works"]);
    await expectTexts(texts(alice), after);
  }, 120_000);
});
