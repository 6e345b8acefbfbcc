import { describe, expect, it } from "vitest";
import { createD1TestDb } from "../../helpers/d1-db.ts";
import { api, createUser, uniquePhone } from "../../helpers/http.ts";
import { insertUser } from "../../../shared/db/users.ts";
import { newId } from "../../../shared/ids.ts";

describe("GET /v1/user/find", () => {
  it("finds by exact phone without listing the phone", async () => {
    const me = await createUser();
    const other = await createUser("Target");
    const answer = await api("GET", `/v1/user/find?phone=${other.phone}`, { token: me.token });
    expect(answer.status).toBe(200);
    expect(answer.body.data.list).toEqual([{
      id: other.id,
      nickname: "Target",
      avatar: "",
      sex: 0,
    }]);
  });

  it("finds by case-insensitive nickname substring, including non-ASCII", async () => {
    const me = await createUser();
    const greek = await createUser("ΣΟΦΙΑ-x1");
    const latin = await createUser("MiXeDcase-x1");
    const sofia = await api("GET", `/v1/user/find?name=${encodeURIComponent("σοφια")}`, {
      token: me.token,
    });
    expect(sofia.body.data.list.map((u: { id: string }) => u.id)).toEqual([greek.id]);
    const mixed = await api("GET", "/v1/user/find?name=xedCASE", { token: me.token });
    expect(mixed.body.data.list.map((u: { id: string }) => u.id)).toEqual([latin.id]);
  });

  it("takes % and _ in a name literally", async () => {
    const me = await createUser();
    const percent = await createUser("50%off");
    await createUser("50xoff");
    const underscore = await createUser("a_b-find");
    await createUser("axb-find");
    const byPercent = await api("GET", `/v1/user/find?name=${encodeURIComponent("0%o")}`, {
      token: me.token,
    });
    expect(byPercent.body.data.list.map((u: { id: string }) => u.id)).toEqual([percent.id]);
    const byUnderscore = await api("GET", "/v1/user/find?name=a_b", { token: me.token });
    expect(byUnderscore.body.data.list.map((u: { id: string }) => u.id)).toEqual([underscore.id]);
  });

  it("finds by a list of ids, in the order given, skipping unknown ones", async () => {
    const me = await createUser();
    const a = await createUser("A");
    const b = await createUser("B");
    const unknown = "0".repeat(32);
    const answer = await api("GET", `/v1/user/find?ids=${b.id},${unknown},${a.id},${b.id}`, {
      token: me.token,
    });
    expect(answer.body.data.list.map((u: { id: string }) => u.id)).toEqual([b.id, a.id]);
    for (const user of answer.body.data.list) expect(user).not.toHaveProperty("phone");
  });

  it("prefers phone over name over ids", async () => {
    const me = await createUser();
    const byPhone = await createUser("Phoney");
    const byName = await createUser("Namey");
    const answer = await api(
      "GET",
      `/v1/user/find?phone=${byPhone.phone}&name=Namey&ids=${byName.id}`,
      {
        token: me.token,
      },
    );
    expect(answer.body.data.list.map((u: { id: string }) => u.id)).toEqual([byPhone.id]);
  });

  it.each([
    ["a quote injection", "x') OR ('1'='1"],
    ["a comment injection", "1;--"],
    ["a UNION", "a UNION SELECT phone FROM users"],
  ])("refuses %s in ids with 400 + 100002", async (_label, ids) => {
    const me = await createUser();
    const answer = await api("GET", `/v1/user/find?ids=${encodeURIComponent(ids)}`, {
      token: me.token,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
    expect(answer.body.msg).toContain("ids");
  });

  it("refuses more than 100 ids", async () => {
    const me = await createUser();
    const ids = Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, "0")).join(",");
    const answer = await api("GET", `/v1/user/find?ids=${ids}`, { token: me.token });
    expect(answer.status).toBe(400);
    expect(answer.body.msg).toContain("100");
  });

  it("refuses a request with no criterion", async () => {
    const me = await createUser();
    const answer = await api("GET", "/v1/user/find", { token: me.token });
    expect(answer.status).toBe(400);
    expect(answer.body.msg).toContain("phone, name or ids");
  });

  it("returns at most 50 name matches", async () => {
    const me = await createUser();
    // Rows straight into D1: 51 bcrypt registrations would only test bcrypt's speed.
    const db = createD1TestDb();
    for (let i = 0; i < 51; i++) {
      const nickname = `many-${i}`;
      await insertUser(db, {
        id: newId(),
        phone: uniquePhone(),
        passwordHash: "unused",
        nickname,
        nicknameFolded: nickname,
        createdAt: Date.now(),
      });
    }
    const answer = await api("GET", "/v1/user/find?name=many-", { token: me.token });
    expect(answer.body.data.list).toHaveLength(50);
  });

  it("answers 401 without a token", async () => {
    const answer = await api("GET", "/v1/user/find?name=a");
    expect(answer.status).toBe(401);
  });
});
