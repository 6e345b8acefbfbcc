/**
 * User query cases, run twice: inside workerd against D1 (users.d1.test.ts) and on Node against
 * a libSQL file (users.libsql.test.ts). One set of cases, two drivers.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "../../../shared/db/client.ts";
import { isUniqueViolation } from "../../../shared/db/errors.ts";
import {
  findUserById,
  findUserByPhone,
  findUsersByIds,
  insertUser,
  searchUsersByNickname,
  updateUser,
} from "../../../shared/db/users.ts";
import { newId } from "../../../shared/ids.ts";

let counter = 0;
function userRow(nickname: string) {
  counter += 1;
  return {
    id: newId(),
    phone: `+1555${Date.now() % 1e6}${counter}`,
    passwordHash: "$2b$10$notarealhashnotarealhashnotarealhashnotarealhashnotr",
    nickname,
    nicknameFolded: nickname.toLowerCase(),
    createdAt: Date.now() + counter,
  };
}

export function defineUserQueryCases(driver: string, getDb: () => Db) {
  describe(`user queries on ${driver}`, () => {
    it("inserts a user and finds it by id and by phone", async () => {
      const db = getDb();
      const row = userRow("Finder");
      await insertUser(db, row);
      expect((await findUserById(db, row.id))?.phone).toBe(row.phone);
      expect((await findUserByPhone(db, row.phone))?.id).toBe(row.id);
      expect(await findUserById(db, newId())).toBeUndefined();
      expect(await findUserById(db, "' OR '1'='1")).toBeUndefined();
      const other = userRow("Other");
      await insertUser(db, other);
      expect((await findUserById(db, other.id))?.nickname).toBe("Other");
      expect((await findUserById(db, row.id))?.nickname).toBe("Finder");
    });

    it("refuses a second user with the same phone through the unique index", async () => {
      const db = getDb();
      const row = userRow("Twin");
      await insertUser(db, row);
      const error = await insertUser(db, { ...row, id: newId() }).catch((e) => e);
      expect(isUniqueViolation(error)).toBe(true);
    });

    it("matches nickname substrings with % and _ taken literally", async () => {
      const db = getDb();
      const percent = userRow("100%real");
      const underscore = userRow("snake_case");
      const plain = userRow("100xreal");
      for (const row of [percent, underscore, plain]) await insertUser(db, row);
      const byPercent = await searchUsersByNickname(db, "0%r", 50);
      expect(byPercent.map((u) => u.id)).toEqual([percent.id]);
      const byUnderscore = await searchUsersByNickname(db, "e_c", 50);
      expect(byUnderscore.map((u) => u.id)).toEqual([underscore.id]);
    });

    it("bounds nickname search results by the limit", async () => {
      const db = getDb();
      for (let i = 0; i < 4; i++) await insertUser(db, userRow(`bounded${i}`));
      expect(await searchUsersByNickname(db, "bounded", 3)).toHaveLength(3);
    });

    it("finds 120 users by id across several chunks, parameterised", async () => {
      const db = getDb();
      const rows = Array.from({ length: 120 }, (_, i) => userRow(`bulk${i}`));
      for (const row of rows) await insertUser(db, row);
      const found = await findUsersByIds(db, rows.map((r) => r.id));
      expect(new Set(found.map((u) => u.id))).toEqual(new Set(rows.map((r) => r.id)));
      const injected = await findUsersByIds(db, [`${rows[0]!.id}') OR ('1'='1`]);
      expect(injected).toEqual([]);
    });

    it("updates only the given fields", async () => {
      const db = getDb();
      const row = userRow("Before");
      await insertUser(db, row);
      const updated = await updateUser(db, row.id, { sex: 2 });
      expect(updated).toMatchObject({ nickname: "Before", sex: 2 });
      expect(await updateUser(db, newId(), { sex: 1 })).toBeUndefined();
    });
  });
}
