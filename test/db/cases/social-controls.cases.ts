/**
 * Block and mute query cases (CONTRACT §10), run twice: inside workerd against D1
 * (social-controls.d1.test.ts) and on Node against a libSQL file (social-controls.libsql.test.ts).
 */
import { describe, expect, it } from "vitest";
import * as blocks from "../../../shared/db/blocks.ts";
import type { Db } from "../../../shared/db/client.ts";
import * as members from "../../../shared/db/group-members.ts";
import { blocks as blocksTable } from "../../../shared/db/schema.ts";
import { newId } from "../../../shared/ids.ts";
import { MAX_BLOCKS_PER_USER } from "../../../shared/limits.ts";
import { group, memberRow, user } from "./fixtures.ts";

function blockRow(userId: string, blockedUid: string, createdAt = Date.now()) {
  return { id: newId(), userId, blockedUid, createdAt };
}

/** `count` blocks of made-up ids by `userId`, written in statements of 20 rows (D1 binds ≤ 100). */
async function fillBlocks(db: Db, userId: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 20) {
    const rows = Array.from(
      { length: Math.min(20, count - start) },
      (_, i) => blockRow(userId, newId(), start + i),
    );
    await db.insert(blocksTable).values(rows);
  }
}

export function defineSocialControlQueryCases(driver: string, getDb: () => Db) {
  describe(`block queries on ${driver}`, () => {
    it("inserts a block once per pair and direction, and deletes it once", async () => {
      const db = getDb();
      const [a, b] = [await user(db), await user(db)];
      const first = blockRow(a, b);
      expect(await blocks.insertBlockIfRoom(db, first)).toEqual(first);
      expect(await blocks.insertBlockIfRoom(db, blockRow(a, b))).toBeUndefined();
      expect(await blocks.blocksBetween(db, b, a)).toEqual([first]);
      expect(await blocks.hasBlocked(db, a, b)).toBe(true);
      expect(await blocks.hasBlocked(db, b, a)).toBe(false);
      // The other direction is a block of its own.
      const back = blockRow(b, a);
      expect(await blocks.insertBlockIfRoom(db, back)).toEqual(back);
      expect(await blocks.blocksBetween(db, a, b)).toHaveLength(2);
      expect(await blocks.deleteBlock(db, a, b)).toBe(true);
      expect(await blocks.deleteBlock(db, a, b)).toBe(false);
      expect(await blocks.blocksBetween(db, a, b)).toEqual([back]);
    });

    it(`refuses a block past MAX_BLOCKS_PER_USER (${MAX_BLOCKS_PER_USER}) in SQL`, async () => {
      const db = getDb();
      const [a, b, c] = [await user(db), await user(db), await user(db)];
      await fillBlocks(db, a, MAX_BLOCKS_PER_USER - 1);
      expect(await blocks.insertBlockIfRoom(db, blockRow(a, b))).toBeDefined();
      expect(await blocks.insertBlockIfRoom(db, blockRow(a, c))).toBeUndefined();
      expect(await blocks.hasBlocked(db, a, c)).toBe(false);
      // Someone else's cap is their own.
      expect(await blocks.insertBlockIfRoom(db, blockRow(b, c))).toBeDefined();
    });

    it("lists blocked users' public profiles by (block time, block id), only the caller's", async () => {
      const db = getDb();
      const me = await user(db, "Me");
      const [one, two, three] = [
        await user(db, "One"),
        await user(db, "Two"),
        await user(db, "Three"),
      ];
      await blocks.insertBlockIfRoom(db, blockRow(me, two, 20));
      await blocks.insertBlockIfRoom(db, blockRow(me, one, 10));
      await blocks.insertBlockIfRoom(db, blockRow(me, three, 30));
      await blocks.insertBlockIfRoom(db, blockRow(one, me, 5));
      const first = await blocks.listBlockedUsers(db, me, 2);
      expect(first.map((r) => r.nickname)).toEqual(["One", "Two"]);
      expect(first[0]).toEqual({
        id: one,
        nickname: "One",
        avatar: "",
        sex: 0,
        blockId: expect.any(String),
        blockedAt: 10,
      });
      const last = first[1]!;
      const rest = await blocks.listBlockedUsers(db, me, 2, {
        time: last.blockedAt,
        id: last.blockId,
      });
      expect(rest.map((r) => r.id)).toEqual([three]);
      expect((await blocks.listBlockedUsers(db, one, 10)).map((r) => r.id)).toEqual([me]);
      expect(await blocks.listBlockedUsers(db, "' OR 1=1 --", 10)).toEqual([]);
    });

    it("finds which of many users block a viewer, across IN-list chunks", async () => {
      const db = getDb();
      const viewer = await user(db);
      const others = Array.from({ length: 120 }, () => newId());
      for (const blocker of [others[0]!, others[75]!, others[119]!]) {
        await blocks.insertBlockIfRoom(db, blockRow(blocker, viewer));
      }
      // A block the other way round does not hide anyone from the viewer.
      await blocks.insertBlockIfRoom(db, blockRow(viewer, others[1]!));
      const blockers = await blocks.blockersAmong(db, viewer, others);
      expect([...blockers].sort()).toEqual([others[0], others[75], others[119]].sort());
      expect(await blocks.blockersAmong(db, viewer, [])).toEqual(new Set());
    });
  });

  describe(`mute queries on ${driver}`, () => {
    async function groupWithManagerAndMember(db: Db) {
      const [owner, manager, member] = [await user(db), await user(db), await user(db)];
      const id = await group(db, owner);
      await members.insertGroupMember(db, { ...memberRow(id, manager), roleLevel: 2 });
      await members.insertGroupMember(db, memberRow(id, member));
      return { id, owner, manager, member };
    }

    it("sets muteUntil while both roles still hold, and lists it with the member states", async () => {
      const db = getDb();
      const { id, owner, manager, member } = await groupWithManagerAndMember(db);
      const muted = await members.setGroupMemberMute(
        db,
        id,
        { userId: member, muteUntil: 5000, targetRoleLevel: 3 },
        { userId: manager, roleLevel: 2 },
      );
      expect(muted).toEqual({ id: expect.any(String) });
      expect((await members.findGroupMember(db, id, member))?.muteUntil).toBe(5000);
      expect(await members.listGroupMemberStates(db, id)).toEqual([
        { userId: owner, roleLevel: 1, muteUntil: 0 },
        { userId: manager, roleLevel: 2, muteUntil: 0 },
        { userId: member, roleLevel: 3, muteUntil: 5000 },
      ]);
    });

    it("changes nothing when the target's or the actor's role changed meanwhile", async () => {
      const db = getDb();
      const { id, manager, member } = await groupWithManagerAndMember(db);
      // The target was promoted after the manager looked.
      expect(
        await members.setGroupMemberMute(
          db,
          id,
          { userId: member, muteUntil: 5000, targetRoleLevel: 2 },
          { userId: manager, roleLevel: 2 },
        ),
      ).toBeUndefined();
      // The manager was demoted after looking.
      expect(
        await members.setGroupMemberMute(
          db,
          id,
          { userId: member, muteUntil: 5000, targetRoleLevel: 3 },
          { userId: manager, roleLevel: 1 },
        ),
      ).toBeUndefined();
      // Not a member at all.
      expect(
        await members.setGroupMemberMute(
          db,
          id,
          { userId: newId(), muteUntil: 5000, targetRoleLevel: 3 },
          { userId: manager, roleLevel: 2 },
        ),
      ).toBeUndefined();
      expect((await members.findGroupMember(db, id, member))?.muteUntil).toBe(0);
    });
  });
}
