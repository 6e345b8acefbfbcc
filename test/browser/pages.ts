/** Steps a user takes in the web app, written once for the browser tests. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";

/** Waits (polling) until `locator`'s texts are `expected`; a mismatch fails with both shown. */
export function expectTexts(locator: Locator, expected: string[], timeout = 15_000) {
  return expect.poll(() => locator.allTextContents(), { timeout }).toEqual(expected);
}

let phoneCounter = 0;
/** A phone number no earlier run used (the service's state is new for every run anyway). */
export function freshPhone(): string {
  phoneCounter += 1;
  return `1${String(Date.now() % 1e8).padStart(8, "0")}${String(phoneCounter).padStart(2, "0")}`;
}

/** A page in its own context (its own storage: its own signed-in user), phone-sized or not. */
export async function openPage(
  browser: Browser,
  mobile = false,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(
    mobile
      ? { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1100, height: 720 } },
  );
  return { context, page: await context.newPage() };
}

export async function register(page: Page, url: string, phone: string, nickname: string) {
  await page.goto(url);
  await page.getByRole("button", { name: "No account yet? Register" }).click();
  await page.getByLabel("Phone").fill(phone);
  await page.getByLabel("Nickname").fill(nickname);
  await page.getByLabel("Password").fill("secret-pass");
  await page.getByRole("button", { name: "Create account" }).click();
  await expectTexts(page.getByTestId("me"), [nickname]);
  await page.getByTestId("connection").waitFor({ state: "hidden" });
}

/** On the Friends tab, finds the person with `phone` and asks them; waits for the app to say so. */
export async function askFriend(page: Page, phone: string): Promise<void> {
  await tab(page, "Friends");
  await page.getByLabel("Find people").fill(phone);
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByTestId("found").getByRole("button", { name: "Add friend" }).click();
  await page.getByText("Request sent.").waitFor();
}

export function tab(page: Page, name: "Chats" | "Friends" | "Groups") {
  return page.getByRole("navigation").getByRole("button", { name: new RegExp(`^${name}`) }).click();
}

/** The texts of the open chat's messages, top to bottom (pending sends excluded). */
export function messageTexts(page: Page): Promise<string[]> {
  return page.getByTestId("message").locator(".text").allTextContents();
}

export async function sendMessage(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/**
 * Screenshots: always taken (a blank or broken screen shows up in review), written to
 * docs/screens when SCREENSHOTS_DIR says so (`deno task screenshots`), else under .vitest/.
 */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR ?? ".vitest/screens";
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** The open chat's message whose own text (not a quote) is exactly `text`. */
export function messageBubble(page: Page, text: string) {
  return page.getByTestId("message").filter({
    has: page.locator(".text").getByText(text, { exact: true }),
  });
}
