/**
 * What happens to messages after they are sent (CONTRACT §10): recalls and edits applied to the
 * loaded chats and the list's last messages, messages hidden for me, mention badges, group
 * notices; and the actions a person takes on a message.
 */
import {
  applyMessageChange,
  type ChatLog,
  type ChatSession,
  type MessageChange,
} from "../../shared/client/index.ts";
import { EDIT_WINDOW_MS, RECALL_WINDOW_MS } from "../../shared/limits.ts";
import { api, session, setState, unwrap, updateMessages } from "./store.ts";

/** Keeps the store in step with the session's recall, edit, deletion and notice events. */
export function followLifecycle(live: ChatSession): void {
  live.on("recall", (data) => applyChange({ method: "recall", data }));
  live.on("edit", (data) => applyChange({ method: "edit", data }));
  live.on("chatlog.deleted", ({ conversationId, msgIds, upToSeq }) => {
    hideMessages(conversationId, (m) => msgIds.includes(m.msgId) || m.seq <= upToSeq);
  });
  live.on("group.notice", ({ groupId, notification }) => {
    setState((s) => ({ groupNotices: { ...s.groupNotices, [groupId]: notification } }));
  });
  // Each connect says how many unread messages mention me, also those that came while away.
  live.on("ready", ({ conversations: counters }) => {
    setState((s) => {
      const conversations = { ...s.conversations };
      for (const [id, { mentionUnread }] of Object.entries(counters)) {
        const known = conversations[id];
        if (known) conversations[id] = { ...known, mentionUnread };
      }
      return { conversations };
    });
  });
}

function applyChange(change: MessageChange): void {
  const { conversationId } = change.data;
  updateMessages(conversationId, (list) => applyMessageChange(list, change));
  setState((s) => {
    const known = s.conversations[conversationId];
    if (!known?.lastMsg) return {};
    const lastMsg = applyMessageChange([known.lastMsg], change)[0] ?? null;
    return { conversations: { ...s.conversations, [conversationId]: { ...known, lastMsg } } };
  });
}

/** Drops `hidden` messages from a loaded chat (and from the list's preview). */
function hideMessages(conversationId: string, hidden: (message: ChatLog) => boolean): void {
  updateMessages(conversationId, (list) => list.filter((m) => !hidden(m)));
  setState((s) => {
    const known = s.conversations[conversationId];
    if (!known?.lastMsg || !hidden(known.lastMsg)) return {};
    const lastMsg = s.messages[conversationId]?.at(-1) ?? null;
    return { conversations: { ...s.conversations, [conversationId]: { ...known, lastMsg } } };
  });
}

/** True when `message` mentions `userId` by name or everyone. */
export function mentions(message: ChatLog, userId: string | undefined): boolean {
  return message.mentions.includes("all") || (!!userId && message.mentions.includes(userId));
}

/** The sender may recall for 2 minutes (group managers may longer; this app offers only own). */
export function canRecall(message: ChatLog, userId: string | undefined): boolean {
  return message.sendId === userId && message.status === 0 &&
    Date.now() - message.sendTime < RECALL_WINDOW_MS;
}

/** The sender may edit a text message for 24 hours, unless it is recalled. */
export function canEdit(message: ChatLog, userId: string | undefined): boolean {
  return message.sendId === userId && message.status === 0 && message.mType === 0 &&
    Date.now() - message.sendTime < EDIT_WINDOW_MS;
}

function live(): ChatSession {
  if (!session) throw new Error("not signed in");
  return session;
}

/** Recalls my message for everyone (through the session's outbox). */
export function recallMessage(message: ChatLog) {
  return live().recall(message.conversationId, message.msgId);
}

/** Replaces my text message's content for everyone. */
export function editMessage(message: ChatLog, content: string) {
  return live().edit(message.conversationId, message.msgId, content);
}

/** Hides a message from my own history (the others keep it). */
export async function deleteForMe(message: ChatLog): Promise<void> {
  const { conversationId, msgId } = message;
  await unwrap(api.DELETE("/v1/im/chatlog", { body: { conversationId, msgIds: [msgId] } }));
  hideMessages(conversationId, (m) => m.msgId === msgId);
}
