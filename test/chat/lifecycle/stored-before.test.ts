/**
 * Objects stored by the version before message lifecycle keep working after a deploy: a
 * Conversation and a UserSession list written with the old tables gain the new columns when they
 * wake, and their messages can be read, recalled, edited and replied to.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chatlog, conversationOf, friendsPair, sendText } from "../../helpers/chat.ts";
import { ageMessage, edit, recall, sendWith } from "../../helpers/lifecycle.ts";
import { createGroupCast } from "../../helpers/social.ts";

/** The Conversation tables as the version before wrote them. */
const CONVERSATION_V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY,
  msg_id TEXT NOT NULL UNIQUE,
  send_id TEXT NOT NULL,
  client_msg_id TEXT NOT NULL,
  m_type INTEGER NOT NULL,
  content TEXT NOT NULL,
  send_time INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_idempotency ON messages (send_id, client_msg_id);
CREATE TABLE members (
  user_id TEXT PRIMARY KEY,
  active INTEGER NOT NULL,
  left_seq INTEGER,
  read_seq INTEGER NOT NULL DEFAULT 0,
  delivered_seq INTEGER NOT NULL DEFAULT 0,
  announced INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  retry_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE pending_changes (event_id TEXT PRIMARY KEY, prepared_at INTEGER NOT NULL);`;

/** The UserSession list as the version before wrote it. */
const LIST_V1 = `
CREATE TABLE conversations (
  conversation_id TEXT PRIMARY KEY,
  chat_type INTEGER NOT NULL,
  target_id TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  read_seq INTEGER NOT NULL DEFAULT 0,
  is_show INTEGER NOT NULL DEFAULT 1,
  last_msg TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX conversations_recent ON conversations (updated_at DESC);
CREATE TABLE unsaved (conversation_id TEXT PRIMARY KEY);`;

type Sql = DurableObjectState["storage"]["sql"];

describe("objects stored by the version before", () => {
  it("wake with the new columns and their messages can be recalled, edited and quoted", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const msgId = crypto.randomUUID().replaceAll("-", "");
    const oldMessage = {
      msgId,
      conversationId,
      chatType: 2,
      sendId: alice.id,
      recvId: bob.id,
      seq: 1,
      mType: 0,
      content: "written before",
      sendTime: Date.now(),
    };
    const conversation = env.CONVERSATION.getByName(conversationId);
    await runInDurableObject(conversation, (_: unknown, state: DurableObjectState) => {
      const sql: Sql = state.storage.sql;
      // Becoming friends stored this conversation's membership: it is rewritten as before.
      for (const table of ["meta", "messages", "members", "pending_changes", "hidden"]) {
        sql.exec(`DROP TABLE IF EXISTS ${table}`);
      }
      sql.exec(CONVERSATION_V1);
      sql.exec(
        "INSERT INTO messages VALUES (1, ?, ?, 'c-1', 0, 'written before', ?)",
        msgId,
        alice.id,
        oldMessage.sendTime,
      );
      for (const userId of [alice.id, bob.id]) {
        sql.exec(
          "INSERT INTO members (user_id, active, delivered_seq, announced) VALUES (?, 1, 1, 1)",
          userId,
        );
      }
      sql.exec("INSERT INTO meta VALUES ('friends', '1'), ('loadedAt', ?)", String(Date.now()));
    });
    const session = env.USER_SESSION.getByName(bob.id);
    await runInDurableObject(session, (_: unknown, state: DurableObjectState) => {
      for (const table of ["conversations", "unsaved"]) {
        state.storage.sql.exec(`DROP TABLE IF EXISTS ${table}`);
      }
      state.storage.sql.exec(LIST_V1);
      state.storage.sql.exec(
        "INSERT INTO conversations VALUES (?, 2, ?, 1, 0, 1, ?, ?)",
        conversationId,
        alice.id,
        JSON.stringify(oldMessage),
        Date.now(),
      );
    });
    await evictDurableObject(conversation);
    await evictDurableObject(session);

    expect(await chatlog(bob, { conversationId })).toEqual([
      {
        ...oldMessage,
        status: 0,
        editTime: 0,
        replyTo: null,
        mentions: [],
        media: null,
        reactions: [],
      },
    ]);
    expect(await conversationOf(bob, conversationId)).toMatchObject({
      seq: 1,
      unread: 1,
      mentionUnread: 0,
      changeSeq: 0,
      // The list stored it without the fields that came later: they get their defaults.
      lastMsg: { ...oldMessage, status: 0, editTime: 0, replyTo: null, mentions: [], media: null },
    });
    const reply = await sendWith(bob, alice.id, "seen", { replyTo: msgId });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((await edit(alice, conversationId, msgId, "written before, edited")).body.data)
      .toMatchObject({ changeSeq: 1, content: "written before, edited" });
    expect((await recall(alice, conversationId, msgId)).body.data).toMatchObject({ changeSeq: 2 });
    await expect.poll(() => conversationOf(bob, conversationId)).toMatchObject({
      seq: 2,
      changeSeq: 2,
      lastMsg: { seq: 2, replyTo: { msgId, preview: "" } },
    });
  });

  it("re-read the group's roles before trusting them: its creator may recall at once", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const sent = await sendText(member, groupId, "from before the deploy", 1);
    const conversation = env.CONVERSATION.getByName(groupId);
    // As the version before left it: no role column, no schema version.
    await runInDurableObject(conversation, (_: unknown, state: DurableObjectState) => {
      const sql: Sql = state.storage.sql;
      sql.exec("ALTER TABLE members DROP COLUMN role_level");
      sql.exec("DELETE FROM meta WHERE key = 'schemaVersion'");
    });
    await evictDurableObject(conversation);
    await ageMessage(groupId, sent.msgId, 60 * 60 * 1000);
    for (const user of [creator, manager]) {
      const other = await sendText(member, groupId, `for ${user.nickname}`, 1);
      const answer = await recall(user, groupId, other.msgId);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
    expect((await recall(creator, groupId, sent.msgId)).status).toBe(200);
  });
});
