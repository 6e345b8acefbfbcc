/** A browser test file's fixtures: the real service and Chromium, started once per file. */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.ts";
import { openPage } from "./pages.ts";
import { type Service, startService } from "./service.ts";

/**
 * Starts the service and Chromium before the file's tests and stops them after; `newPage`
 * opens a page in a context of its own (its own signed-in user), closed with the rest.
 */
export function browserSuite() {
  let service: Service | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    service = await startService();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await service?.stop();
  });
  return {
    url: () => service!.url,
    async newPage(mobile = false): Promise<{ context: BrowserContext; page: Page }> {
      const opened = await openPage(browser!, mobile);
      contexts.push(opened.context);
      return opened;
    },
  };
}
