/** Rows the database query cases start from, written straight through the queries. */
import type { Db } from "../../../shared/db/client.ts";
import * as members from "../../../shared/db/group-members.ts";
import * as groups from "../../../shared/db/groups.ts";
import { insertUser } from "../../../shared/db/users.ts";
import { newId } from "../../../shared/ids.ts";
import { runBatch } from "../../../shared/social/batch.ts";

let counter = 0;

/** A new user with this nickname; returns its id. */
export async function user(db: Db, nickname = "Someone"): Promise<string> {
  counter += 1;
  const id = newId();
  await insertUser(db, {
    id,
    phone: `+1666${Date.now() % 1e6}${counter}`,
    passwordHash: "x",
    nickname,
    nicknameFolded: nickname.toLowerCase(),
    createdAt: Date.now(),
  });
  return id;
}

/** A new group with `creatorUid` as its creator member; returns its id. */
export async function group(db: Db, creatorUid: string, isVerify = false) {
  const id = newId();
  const now = Date.now();
  await runBatch(db, [
    groups.insertGroup(db, { id, name: "G", creatorUid, isVerify, memberCount: 1, createdAt: now }),
    members.insertGroupMember(db, {
      id: newId(),
      groupId: id,
      userId: creatorUid,
      roleLevel: 1,
      joinTime: now,
      joinSource: 2,
    }),
  ]);
  return id;
}

/** A plain member's row (roleLevel 3, not muted). */
export function memberRow(groupId: string, userId: string, joinTime = Date.now()) {
  return {
    id: newId(),
    groupId,
    userId,
    roleLevel: 3,
    joinTime,
    joinSource: 2,
    inviterUid: "",
    operatorUid: "",
    muteUntil: 0,
  };
}
