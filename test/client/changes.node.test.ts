/** The SDK's pure parts of recall and edit: change order per conversation, applying a change. */
import { describe, expect, it } from "vitest";
import {
  applyMessageChange,
  ChangeOrder,
  type ChatLog,
  type EditedMessage,
  type Recall,
  REMEMBERED_CHANGED_MESSAGES,
  replyPreview,
} from "../../shared/client/index.ts";

const message = (msgId: string, seq: number, extra: Partial<ChatLog> = {}): ChatLog => ({
  msgId,
  conversationId: "c",
  chatType: 2,
  sendId: "alice",
  recvId: "bob",
  seq,
  mType: 0,
  content: `text ${seq}`,
  sendTime: 1000 + seq,
  status: 0,
  editTime: 0,
  replyTo: null,
  mentions: [],
  media: null,
  ...extra,
});
const recall = (msgId: string, changeSeq: number): Recall => ({
  conversationId: "c",
  msgId,
  seq: 1,
  recallBy: "alice",
  changeSeq,
});
const edit = (msgId: string, changeSeq: number, content: string): EditedMessage => ({
  ...message(msgId, 1, { content, editTime: 5000 + changeSeq }),
  changeSeq,
});

describe("ChangeOrder", () => {
  it("moves the cursor over consecutive change seqs and not past a missing one", () => {
    const order = new ChangeOrder();
    order.follow("c", 2);
    expect(order.accept(edit("m1", 3, "a"))).toBe(true);
    expect(order.cursor("c")).toBe(3);
    // 4 is lost: 5 is applied, but a resync must still start after 3.
    expect(order.accept(recall("m2", 5))).toBe(true);
    expect(order.cursor("c")).toBe(3);
    expect(order.accept(edit("m3", 4, "b"))).toBe(true);
    expect(order.cursor("c")).toBe(5);
  });

  it("hands a message's change over once and never an older one after a newer", () => {
    const order = new ChangeOrder();
    order.follow("c", 0);
    expect(order.accept(edit("m1", 2, "newer"))).toBe(true);
    expect(order.accept(edit("m1", 2, "newer"))).toBe(false);
    expect(order.accept(edit("m1", 1, "older"))).toBe(false);
    expect(order.accept(recall("m1", 3))).toBe(true);
  });

  it("starts an unknown conversation at its first change; a sync ack moves it on", () => {
    const order = new ChangeOrder();
    expect(order.accept(recall("m1", 7))).toBe(true);
    expect(order.cursor("c")).toBe(7);
    // A sync answers with current states only (9 stands for 8 and 9): the ack says where it is.
    order.accept(edit("m2", 9, "x"));
    expect(order.cursor("c")).toBe(7);
    order.follow("c", 9);
    order.follow("c", 4);
    expect(order.cursor("c")).toBe(9);
  });

  it("remembers at most REMEMBERED_CHANGED_MESSAGES messages, forgetting the oldest", () => {
    const order = new ChangeOrder();
    order.follow("c", 0);
    expect(order.accept(edit("first", 1, "a"))).toBe(true);
    for (let i = 0; i < REMEMBERED_CHANGED_MESSAGES; i++) order.accept(edit(`m${i}`, i + 2, "b"));
    // "first" is forgotten: its old state counts as new again; a remembered one's does not.
    expect(order.accept(edit("first", 1, "a"))).toBe(true);
    expect(order.accept(edit(`m${REMEMBERED_CHANGED_MESSAGES - 1}`, 2, "b"))).toBe(false);
  });
});

describe("applyMessageChange", () => {
  const quoting = (seq: number, preview: string) =>
    message(`r${seq}`, seq, { replyTo: { msgId: "m1", seq: 1, sendId: "alice", preview } });

  it("clears a recalled message and the previews quoting it", () => {
    const list = [message("m1", 1), quoting(2, "text 1"), message("m3", 3)];
    const next = applyMessageChange(list, { method: "recall", data: recall("m1", 1) });
    expect(next.map((m) => [m.status, m.content, m.replyTo?.preview ?? null])).toEqual([
      [1, "", null],
      [0, "text 2", ""],
      [0, "text 3", null],
    ]);
    expect(next[2]).toBe(list[2]);
    expect(applyMessageChange(next, { method: "recall", data: recall("m1", 1) })).toBe(next);
  });

  it("replaces an edited message whole and gives replies its first 100 characters", () => {
    const long = "é".repeat(150);
    const list = [message("m1", 1), quoting(2, "text 1")];
    const next = applyMessageChange(list, { method: "edit", data: edit("m1", 1, long) });
    expect(next[0]).toEqual({ ...message("m1", 1), content: long, editTime: 5001 });
    expect(next[1]?.replyTo?.preview).toBe("é".repeat(100));
    expect(replyPreview(long)).toHaveLength(100);
  });

  it("keeps a recall and a later edit over an earlier edit", () => {
    const recalled = [message("m1", 1, { status: 1, content: "" })];
    expect(applyMessageChange(recalled, { method: "edit", data: edit("m1", 1, "late") }))
      .toBe(recalled);
    const edited = [message("m1", 1, { content: "second", editTime: 9000 })];
    expect(applyMessageChange(edited, { method: "edit", data: edit("m1", 1, "first") }))
      .toBe(edited);
  });
});
