/**
 * Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`; .ci/run installs it) driven
 * by playwright-core, which never downloads a browser of its own.
 */
import process from "node:process";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches headless Chromium; the flags keep it from reaching out to the network on its own.
 * `extraArgs` adds flags (e.g. a fake microphone).
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      // Without these Chromium stalls on a closed network, waiting for its own services.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}
