/**
 * URL fields (CONTRACT §15): an avatar or group icon is parsed, only `http:`/`https:` is taken,
 * and what is stored (and shown to others) is the parser's normalized form.
 */
import { describe, expect, it } from "vitest";
import { api, expectRefusal } from "../../helpers/http.ts";
import { createGroup, quickUser } from "../../helpers/social.ts";

async function avatarOf(token: string) {
  return (await api("GET", "/v1/user/user", { token })).body.data.info.avatar;
}

describe("avatar and icon URLs", () => {
  it.each([
    [
      "markup in the path",
      'https://x/"><img/src=x/onerror=alert(1)>',
      "https://x/%22%3E%3Cimg/src=x/onerror=alert(1)%3E",
    ],
    ["an upper-case scheme and host", "HTTPS://Example.COM", "https://example.com/"],
    ["a dot segment", "https://example.com/a/../b.png", "https://example.com/b.png"],
    ["a Unicode host", "https://bücher.example/a.png", "https://xn--bcher-kva.example/a.png"],
  ])("stores an avatar with %s in its normalized form", async (_, given, stored) => {
    const user = await quickUser();
    const answer = await api("PUT", "/v1/user/user", {
      token: user.token,
      body: { avatar: given },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await avatarOf(user.token)).toBe(stored);
  });

  it.each([
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a relative path", "/me.png"],
    ["no host", "https://"],
    ["credentials", "https://user:pass@example.com/me.png"],
    ["a space", "https://example.com/a b.png"],
    ["a line feed", "https://example.com/\nme.png"],
    ["an unpaired surrogate", "https://example.com/\uD800.png"],
    ["more than 1024 characters", `https://example.com/${"a".repeat(1024)}`],
  ])("refuses an avatar with %s", async (_, avatar) => {
    const user = await quickUser();
    const answer = await api("PUT", "/v1/user/user", { token: user.token, body: { avatar } });
    expectRefusal(answer, 400, 100002);
    expect(answer.body.msg).toMatch(/^avatar: /);
    expect(await avatarOf(user.token)).toBe("");
  });

  it("normalizes a group icon the same way", async () => {
    const alice = await quickUser();
    const group = await createGroup(alice);
    const answer = await api("PUT", "/v1/social/group", {
      token: alice.token,
      body: { groupId: group.id, icon: 'https://x/"><b>' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.icon).toBe("https://x/%22%3E%3Cb%3E");
  });
});
