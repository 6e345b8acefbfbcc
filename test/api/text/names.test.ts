/**
 * Names and labels (CONTRACT §15): nicknames, group names, remarks, notices and request messages
 * refuse hidden, control and bidirectional characters and unpaired surrogates with 400 + 100002
 * naming the field, are stored trimmed and in NFC, and need a visible character.
 */
import { describe, expect, it } from "vitest";
import { api, expectRefusal, uniquePhone } from "../../helpers/http.ts";
import { createGroup, makeFriends, quickUser } from "../../helpers/social.ts";

/** What the attacker's names looked like: each would pass for another name or draw nothing. */
const HIDDEN_NAMES: [string, string][] = [
  ["a zero-width space alone", "\u200B"],
  ["a trailing zero-width space", "victim\u200B"],
  ["a right-to-left override", "\u202Eexe.gnp\u202C bob"],
  ["a line feed", "bob\nadmin"],
  ["a tab", "bob\tadmin"],
  ["a NUL", "bob\u0000"],
  ["a Hangul filler", "\u3164"],
  ["a left-to-right isolate", "bob\u2066x\u2069"],
  ["a byte-order mark inside", "bo\uFEFFb"],
  ["a lone zero-width joiner", "bo\u200Db"],
  ["an unpaired high surrogate", "bob\uD800"],
  ["an unpaired low surrogate", "\uDC00bob"],
  ["only combining marks", "\u0301\u0301"],
];

async function profileOf(token: string) {
  const me = await api("GET", "/v1/user/user", { token });
  return me.body.data.info;
}

describe("nicknames", () => {
  it.each(HIDDEN_NAMES)(
    "refuses %s on PUT /v1/user/user and keeps the old one",
    async (_, name) => {
      const user = await quickUser("Original");
      const answer = await api("PUT", "/v1/user/user", {
        token: user.token,
        body: { nickname: name },
      });
      expectRefusal(answer, 400, 100002);
      expect(answer.body.msg).toMatch(/^nickname: /);
      expect((await profileOf(user.token)).nickname).toBe("Original");
    },
  );

  it("refuses a hidden nickname at registration, naming the character", async () => {
    const answer = await api("POST", "/v1/user/register", {
      body: { phone: uniquePhone(), password: "secret-pass", nickname: "victim\u200B" },
      headers: { "CF-Connecting-IP": "10.9.0.1" },
    });
    expectRefusal(answer, 400, 100002);
    expect(answer.body.msg).toContain("U+200B");
  });

  it("sees the lone surrogates a JSON escape makes, and does not store them as U+FFFD", async () => {
    const user = await quickUser("Original");
    // The raw text a client sends: 24 escaped high surrogates, each alone.
    const raw = `{"nickname":"${"\\ud800".repeat(24)}"}`;
    const answer = await api("PUT", "/v1/user/user", { token: user.token, body: raw });
    expectRefusal(answer, 400, 100002);
    expect(answer.body.msg).toContain("unpaired surrogates");
    expect((await profileOf(user.token)).nickname).toBe("Original");
  });

  it("stores a nickname trimmed and in NFC, counting its length there", async () => {
    const user = await quickUser("Original");
    // "Zoë" decomposed (e + U+0308); 24 decomposed é are 48 code points but 24 composed ones.
    const decomposed = "  Zoe\u0308  ";
    const answer = await api("PUT", "/v1/user/user", {
      token: user.token,
      body: { nickname: decomposed },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await profileOf(user.token)).nickname).toBe("Zo\u00EB");
    const long = await api("PUT", "/v1/user/user", {
      token: user.token,
      body: { nickname: "e\u0301".repeat(24) },
    });
    expect(long.status, JSON.stringify(long.body)).toBe(200);
    expect((await profileOf(user.token)).nickname).toBe("\u00E9".repeat(24));
  });

  it.each([
    ["an emoji family (joined by zero-width joiners)", "👩‍👩‍👧‍👦 family"],
    ["a red heart with its variation selector", "Ann ❤️"],
    ["a flag tag sequence", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Ali"],
    ["Arabic", "مرحبا"],
    ["Korean", "한국어"],
  ])("accepts %s", async (_, name) => {
    const user = await quickUser("Original");
    const answer = await api("PUT", "/v1/user/user", {
      token: user.token,
      body: { nickname: name },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await profileOf(user.token)).nickname).toBe(name.normalize("NFC"));
  });
});

describe("group names, notices, remarks and request messages", () => {
  it("refuses a hidden group name at creation and on update", async () => {
    const alice = await quickUser("Alice");
    for (const name of ["\u200B", "club\u202E", "a\nb"]) {
      const created = await api("POST", "/v1/social/group", {
        token: alice.token,
        body: { name, isVerify: false },
      });
      expectRefusal(created, 400, 100002);
      expect(created.body.msg).toMatch(/^name: /);
    }
    const group = await createGroup(alice);
    const updated = await api("PUT", "/v1/social/group", {
      token: alice.token,
      body: { groupId: group.id, name: "victim\u200B" },
    });
    expectRefusal(updated, 400, 100002);
  });

  it("lets a notice span lines but refuses its other controls and overrides", async () => {
    const alice = await quickUser("Alice");
    const group = await createGroup(alice);
    const lines = await api("PUT", "/v1/social/group", {
      token: alice.token,
      body: { groupId: group.id, notification: "Saturday 10:00\nat the wall" },
    });
    expect(lines.status, JSON.stringify(lines.body)).toBe(200);
    for (const notification of ["tab\there", "\u202Etxt.exe", "x\u0000"]) {
      const refused = await api("PUT", "/v1/social/group", {
        token: alice.token,
        body: { groupId: group.id, notification },
      });
      expectRefusal(refused, 400, 100002);
      expect(refused.body.msg).toMatch(/^notification: .*line breaks are allowed/);
    }
  });

  it("refuses a hidden remark and a request message with an override", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser("A"), quickUser("B"), quickUser("C")]);
    await makeFriends(alice, bob);
    const remark = await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "bob\u200B" },
    });
    expectRefusal(remark, 400, 100002);
    expect(remark.body.msg).toMatch(/^remark: /);
    const cleared = await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "" },
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    const asked = await api("POST", "/v1/social/friend/putIn", {
      token: carol.token,
      body: { userUid: alice.id, reqMsg: "hi \u202Eevil" },
    });
    expectRefusal(asked, 400, 100002);
    expect(asked.body.msg).toMatch(/^reqMsg: /);
  });
});
