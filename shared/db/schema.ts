/**
 * The one drizzle schema for D1 and libSQL: users, friendships, groups and their requests
 * (CONTRACT §2–§4) and block lists (§10). Messages live in the Conversation Durable Objects,
 * not here.
 *
 * Unique indexes make duplicates impossible even under races: code checks first for a clear
 * error, the schema is what guarantees it.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** handleResult values shared by friend and group requests. */
export const HANDLE_RESULT = { pending: 1, passed: 2, refused: 3, cancelled: 4 } as const;

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  phone: text("phone").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  nickname: text("nickname").notNull(),
  // Unicode-lowercased nickname, so `find ?name=` is a case-insensitive substring match
  // (SQLite's own lower()/LIKE only fold ASCII).
  nicknameFolded: text("nickname_folded").notNull(),
  avatar: text("avatar").notNull().default(""),
  sex: integer("sex").notNull().default(0),
  status: integer("status").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

export const friends = sqliteTable(
  "friends",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    friendUid: text("friend_uid").notNull(),
    remark: text("remark").notNull().default(""),
    addSource: integer("add_source").notNull().default(1),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("friends_user_friend_uq").on(t.userId, t.friendUid)],
);

export const friendRequests = sqliteTable(
  "friend_requests",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(), // the one asked
    reqUid: text("req_uid").notNull(), // the one asking
    // The two user ids sorted and joined with "_": one pending request per pair, either direction.
    pairKey: text("pair_key").notNull(),
    reqMsg: text("req_msg").notNull().default(""),
    reqTime: integer("req_time").notNull(),
    handleResult: integer("handle_result").notNull().default(HANDLE_RESULT.pending),
    handleMsg: text("handle_msg").notNull().default(""),
    handledAt: integer("handled_at"),
  },
  (t) => [
    uniqueIndex("friend_requests_one_pending_uq").on(t.pairKey).where(sql`handle_result = 1`),
    index("friend_requests_user_idx").on(t.userId, t.handleResult),
    index("friend_requests_req_idx").on(t.reqUid, t.handleResult),
  ],
);

export const groups = sqliteTable("groups", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  icon: text("icon").notNull().default(""),
  status: integer("status").notNull().default(0),
  creatorUid: text("creator_uid").notNull(),
  groupType: integer("group_type").notNull().default(0),
  isVerify: integer("is_verify", { mode: "boolean" }).notNull().default(false),
  notification: text("notification").notNull().default(""),
  notificationUid: text("notification_uid").notNull().default(""),
  // While true only the creator and managers may send to the group (CONTRACT §10).
  muteAll: integer("mute_all", { mode: "boolean" }).notNull().default(false),
  memberCount: integer("member_count").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

export const groupMembers = sqliteTable(
  "group_members",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id").notNull(),
    userId: text("user_id").notNull(),
    roleLevel: integer("role_level").notNull(),
    joinTime: integer("join_time").notNull(),
    joinSource: integer("join_source").notNull(),
    inviterUid: text("inviter_uid").notNull().default(""),
    operatorUid: text("operator_uid").notNull().default(""),
    // Unix ms until which the member may not send; 0 = not muted (CONTRACT §10).
    muteUntil: integer("mute_until").notNull().default(0),
  },
  (t) => [
    uniqueIndex("group_members_group_user_uq").on(t.groupId, t.userId),
    index("group_members_user_idx").on(t.userId),
  ],
);

export const groupRequests = sqliteTable(
  "group_requests",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id").notNull(),
    reqId: text("req_id").notNull(), // who would join
    reqMsg: text("req_msg").notNull().default(""),
    reqTime: integer("req_time").notNull(),
    joinSource: integer("join_source").notNull(),
    inviterUid: text("inviter_uid").notNull().default(""),
    handleUid: text("handle_uid").notNull().default(""),
    handleTime: integer("handle_time"),
    handleResult: integer("handle_result").notNull().default(HANDLE_RESULT.pending),
  },
  (t) => [
    uniqueIndex("group_requests_one_pending_uq").on(t.groupId, t.reqId).where(
      sql`handle_result = 1`,
    ),
    index("group_requests_group_idx").on(t.groupId, t.handleResult),
  ],
);

/** `userId` has blocked `blockedUid` (CONTRACT §10): one row per pair and direction. */
export const blocks = sqliteTable(
  "blocks",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(), // the one blocking
    blockedUid: text("blocked_uid").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("blocks_user_blocked_uq").on(t.userId, t.blockedUid),
    index("blocks_blocked_idx").on(t.blockedUid),
  ],
);

/**
 * An invitation to a group from someone who is not the invitee's friend (CONTRACT §15): it waits
 * for the invitee's answer and does not count toward their groups. `status` uses the handleResult
 * numbers (1 pending · 2 accepted · 3 declined · 4 cancelled). One pending invitation per group,
 * inviter and invitee; the inviter's index also serves cancelling when they leave.
 */
export const groupInvitations = sqliteTable(
  "group_invitations",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id").notNull(),
    inviterUid: text("inviter_uid").notNull(),
    inviteeUid: text("invitee_uid").notNull(),
    createdAt: integer("created_at").notNull(),
    status: integer("status").notNull().default(HANDLE_RESULT.pending),
    handledAt: integer("handled_at"),
  },
  (t) => [
    uniqueIndex("group_invitations_one_pending_uq").on(t.groupId, t.inviterUid, t.inviteeUid)
      .where(sql`status = 1`),
    index("group_invitations_invitee_idx").on(t.inviteeUid, t.status, t.createdAt),
  ],
);
