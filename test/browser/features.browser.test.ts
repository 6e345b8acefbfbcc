/**
 * Reactions, pins, read counts and search in the web app (CONTRACT §13), in Chromium against
 * the real service: in a group, Bob reads Alice's messages and she sees "Read by 1" (and who);
 * she reacts with the picker and pins a message, and both pages show the chip and the pinned
 * bar; a search finds a message in another chat and jumps to it.
 */
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

describe("the web app's reactions, pins, read counts and search", () => {
  it("reacts, pins, shows Read by 1 and jumps to a search result", async () => {
    const alice = await newPage();
    const bob = await newPage();
    const bobPhone = freshPhone();
    await register(alice, suite.url(), freshPhone(), "Alice");
    await register(bob, suite.url(), bobPhone, "Bob");
    await askFriend(alice, bobPhone);
    await tab(bob, "Friends");
    await bob.getByRole("button", { name: "Accept" }).click();
    await bob.getByTestId("friends").getByText("Alice").click();
    await sendMessage(bob, "I will bring the slides");

    await tab(alice, "Groups");
    await alice.getByLabel("New group name").fill("Launch");
    await alice.getByRole("button", { name: "Create" }).click();
    await alice.getByTestId("groups").getByText("Launch").click();
    await alice.getByLabel("Friend to invite").selectOption({ label: "Bob" });
    await alice.getByRole("button", { name: "Invite" }).click();
    await alice.getByText("Invited.").waitFor();
    await alice.getByRole("button", { name: "Open chat" }).click();
    await sendMessage(alice, "Kickoff at 10");
    await expectTexts(alice.getByTestId("message").locator(".text"), ["Kickoff at 10"]);
    await sendMessage(alice, "Slides are in the shared folder");
    await expectTexts(alice.getByTestId("message").locator(".text"), [
      "Kickoff at 10",
      "Slides are in the shared folder",
    ]);

    // Bob opens the group: he has read both, and Alice's page says so under her messages.
    await tab(bob, "Chats");
    await bob.getByTestId("conversation").filter({ hasText: "Launch" }).click();
    await expectTexts(bob.getByTestId("message").locator(".text"), [
      "Kickoff at 10",
      "Slides are in the shared folder",
    ]);
    await expectTexts(alice.getByTestId("read-by"), ["Read by 1", "Read by 1"]);
    await alice.getByTestId("read-by").last().click();
    await expectTexts(alice.getByTestId("readers"), ["Bob"]);

    // Alice reacts with the picker; both pages show the chip, hers marked as hers.
    const kickoff = messageBubble(alice, "Kickoff at 10");
    await kickoff.hover();
    await kickoff.getByRole("button", { name: "React" }).click();
    await kickoff.getByTestId("emoji-picker").getByRole("menuitem", { name: "👍" }).click();
    for (const page of [alice, bob]) {
      await expectTexts(messageBubble(page, "Kickoff at 10").getByTestId("reaction"), ["👍 1"]);
    }
    await expect.poll(() =>
      messageBubble(alice, "Kickoff at 10").getByTestId("reaction").getAttribute("aria-pressed")
    ).toBe("true");
    // Bob adds his: the count is 2 on both.
    await messageBubble(bob, "Kickoff at 10").getByTestId("reaction").click();
    for (const page of [alice, bob]) {
      await expectTexts(messageBubble(page, "Kickoff at 10").getByTestId("reaction"), ["👍 2"]);
    }

    // Alice (the group's creator) pins it: the pinned bar shows it on both pages.
    await kickoff.hover();
    await kickoff.getByRole("button", { name: "Pin" }).click();
    for (const page of [alice, bob]) {
      await expectTexts(page.getByTestId("pinned"), ["Kickoff at 10"]);
    }
    await screenshot(alice, "reactions-pins-read-by");

    // Alice searches from her single chat with Bob and jumps to the group's message.
    await alice.getByTestId("conversation").filter({ hasText: "Bob" }).click();
    await expectTexts(alice.getByTestId("chat-title"), ["Bob"]);
    await alice.getByLabel("Find text in chats").fill("slides");
    await alice.getByRole("button", { name: "Search" }).click();
    await expectTexts(alice.getByTestId("search-result").locator("span"), [
      "Slides are in the shared folder",
      "I will bring the slides",
    ]);
    await screenshot(alice, "search-results");
    await alice.getByTestId("search-result").first().click();
    await expectTexts(alice.getByTestId("chat-title"), ["Launch"]);
    await expectTexts(alice.locator(".bubble.highlight .text"), [
      "Slides are in the shared folder",
    ]);
    await screenshot(alice, "search-jump");
  }, 180_000);
});
