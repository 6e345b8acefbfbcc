/**
 * The SDK's copy of the API description is the app's own `/openapi.json`, byte for byte: when a
 * route changes, this fails until `deno task api-types` rewrites the copy (and the types made
 * from it, test/client/api-types.node.test.ts).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /openapi.json", () => {
  it("is what shared/client/openapi.json holds", async () => {
    const response = await exports.default.fetch("https://chat.test/openapi.json");
    expect(response.status).toBe(200);
    const document = await response.json();
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot(
      "../../shared/client/openapi.json",
    );
  });
});
