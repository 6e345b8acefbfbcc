/**
 * `/docs` loads no third-party script without an integrity hash (CONTRACT §15): every `<script
 * src>` from another origin names one exact file and carries a sha384 `integrity` and
 * `crossorigin` (scripts/docs-sri.mjs checks the hash against the npm tarball).
 */
import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";

it("gives every third-party script on /docs a sha384 integrity and crossorigin", async () => {
  const response = await exports.default.fetch(new Request("https://chat.test/docs"));
  expect(response.status).toBe(200);
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
  const external = scripts.filter((tag) => /\bsrc="https?:\/\//.test(tag));
  expect(external.length).toBeGreaterThan(0);
  for (const tag of external) {
    expect(tag).toMatch(/\bintegrity="sha384-[A-Za-z0-9+/]{64}"/);
    expect(tag).toMatch(/\bcrossorigin="anonymous"/);
    // One file of one version: a bare package URL is whatever file the CDN picks.
    expect(tag).toMatch(
      /\bsrc="https:\/\/cdn\.jsdelivr\.net\/npm\/(@[^/"]+\/)?[^/"@]+@\d+\.\d+\.\d+\/[^"]+\.js"/,
    );
  }
});
