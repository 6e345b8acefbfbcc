/**
 * What the app does with the SDK: signing in and out, wiring the realtime session into the
 * store (messages, unread counts, typing, read marks), opening chats and paging their history.
 */
import { type ChatLog, ChatSession } from "../../shared/client/index.ts";
import { followFeatures, loadChatExtras } from "./features.ts";
import { followLifecycle, mentions } from "./lifecycle.ts";
import { followNotificationClicks } from "./push.ts";
import { followSocial } from "./social.ts";
import {
  api,
  type Conversation,
  getState,
  mergeMessages,
  rememberToken,
  session,
  setSession,
  setState,
  unwrap,
} from "./store.ts";

const PAGE = 30;

/** A history page's messages (the generated type lets an entry be null: the schema is shared with lastMsg). */
function messagesOf(list: (ChatLog | null)[]): ChatLog[] {
  return list.filter((message): message is ChatLog => message !== null);
}
const TYPING_SHOWN_MS = 3000;

/** Starts the signed-in part: who I am, my conversations, the realtime session. */
export async function startSignedIn(token: string): Promise<void> {
  rememberToken(token);
  const { info } = await unwrap(api.GET("/v1/user/user"));
  setState({ me: info, notice: undefined });
  await loadConversations();
  const live = new ChatSession({ token });
  live.on("state", (connection) => setState({ connection }));
  live.on("message", onMessage);
  followLifecycle(live);
  followFeatures(live);
  followSocial(live);
  live.on("ready", (ready) => {
    const known = getState().conversations;
    if (Object.keys(ready.conversations).some((id) => !known[id])) void loadConversations();
  });
  live.on("typing", ({ conversationId }) => {
    setState((s) => ({
      typingUntil: { ...s.typingUntil, [conversationId]: Date.now() + TYPING_SHOWN_MS },
    }));
    setTimeout(() => setState({}), TYPING_SHOWN_MS + 50);
  });
  live.on("markChat", ({ conversationId, read }) => {
    setState((s) => ({
      peerRead: {
        ...s.peerRead,
        [conversationId]: Math.max(read, s.peerRead[conversationId] ?? 0),
      },
    }));
  });
  live.on("stopped", ({ code }) => {
    if (code === 4001 || code === 4003) {
      void signOut(code === 4001 ? "Your session expired." : "You were signed out.");
    }
  });
  // Each conversation's history comes over HTTP; the session takes over from the list's seq
  // and change seq (the list and the history show every recall and edit up to it).
  for (const conversation of Object.values(getState().conversations)) {
    live.follow(conversation.conversationId, conversation.seq, conversation.changeSeq);
  }
  setSession(live);
  live.start();
  followNotificationClicks();
}

/** Ends the signed-in part; `notice` is shown on the login screen. */
export async function signOut(notice?: string): Promise<void> {
  const live = session;
  setSession(undefined);
  live?.close();
  if (!notice && getState().token) {
    // Signing out locally goes on even when the server cannot be told (offline, expired token).
    await api.POST("/v1/user/logout", { body: {} }).catch((error) =>
      console.warn("logout failed", error)
    );
  }
  rememberToken(undefined);
  setState({
    me: undefined,
    conversations: {},
    messages: {},
    openId: undefined,
    notice,
    connection: "stopped",
    invitations: [],
    online: {},
    leftGroups: {},
  });
}

/** Reloads the conversation list and the names it shows. */
export async function loadConversations(): Promise<void> {
  const { conversationList } = await unwrap(api.GET("/v1/im/conversation"));
  setState({ conversations: conversationList });
  const missing = Object.values(conversationList)
    .filter((c) => c.chatType === 2 && !getState().names[c.targetId])
    .map((c) => c.targetId);
  if (missing.length > 0) {
    const { list } = await unwrap(
      api.GET("/v1/user/find", { params: { query: { ids: missing.join(",") } } }),
    );
    rememberNames(list.map((user) => [user.id, user.nickname]));
  }
  if (
    Object.values(conversationList).some((c) => c.chatType === 1 && !getState().names[c.targetId])
  ) {
    const { list } = await unwrap(api.GET("/v1/social/groups"));
    rememberNames(list.map((group) => [group.id, group.name]));
  }
}

export function rememberNames(entries: [string, string][]): void {
  setState((s) => ({ names: { ...s.names, ...Object.fromEntries(entries) } }));
}

function onMessage(message: ChatLog): void {
  const { conversations, openId, me } = getState();
  const known = conversations[message.conversationId];
  if (!known) {
    void loadConversations();
    return;
  }
  const mine = message.sendId === me?.id;
  const reading = openId === message.conversationId && document.visibilityState === "visible";
  const read = mine || reading ? message.seq : known.read;
  const mentioned = !mine && mentions(message, me?.id);
  const updated: Conversation = {
    ...known,
    seq: message.seq,
    lastMsg: message,
    read,
    unread: message.seq - read,
    mentionUnread: read >= message.seq ? 0 : known.mentionUnread + (mentioned ? 1 : 0),
  };
  setState((s) => ({ conversations: { ...s.conversations, [message.conversationId]: updated } }));
  // An open chat whose first page is still loading keeps it too (the page merges by seq).
  if (getState().messages[message.conversationId] || openId === message.conversationId) {
    mergeMessages(message.conversationId, [message]);
  }
  if (reading && !mine) markRead(message.conversationId, message.seq);
}

/** Opens a chat: its newest page of history, read up to its last message. */
export async function openConversation(conversationId: string): Promise<void> {
  setState({ openId: conversationId });
  if (!getState().messages[conversationId]) {
    const page = await unwrap(
      api.GET("/v1/im/chatlog", { params: { query: { conversationId, count: PAGE } } }),
    );
    const list = messagesOf(page.list);
    mergeMessages(conversationId, list);
    setState((s) => ({ hasOlder: { ...s.hasOlder, [conversationId]: (list[0]?.seq ?? 1) > 1 } }));
    await loadPeerRead(conversationId, list);
    await loadChatExtras(conversationId, list);
  }
  const conversation = getState().conversations[conversationId];
  if (conversation && conversation.unread > 0) markRead(conversationId, conversation.seq);
}

/** Single chats: whether the other side has read my last message. */
async function loadPeerRead(conversationId: string, list: ChatLog[]): Promise<void> {
  const mine = list.filter((m) => m.sendId === getState().me?.id).at(-1);
  if (getState().conversations[conversationId]?.chatType !== 2 || !mine) return;
  const records = await unwrap(
    api.GET("/v1/im/chatlog/readRecords", { params: { query: { conversationId, seq: mine.seq } } }),
  );
  if (records.reads.length > 0) {
    setState((s) => ({ peerRead: { ...s.peerRead, [conversationId]: mine.seq } }));
  }
}

/** Loads the page before the oldest loaded message; false when there is none. */
export async function loadOlder(conversationId: string): Promise<boolean> {
  const first = getState().messages[conversationId]?.[0];
  if (!first || first.seq <= 1) return false;
  const page = await unwrap(
    api.GET("/v1/im/chatlog", {
      params: { query: { conversationId, beforeSeq: first.seq, count: PAGE } },
    }),
  );
  const list = messagesOf(page.list);
  mergeMessages(conversationId, list);
  const more = (list[0]?.seq ?? 1) > 1;
  setState((s) => ({ hasOlder: { ...s.hasOlder, [conversationId]: more } }));
  return list.length > 0;
}

/** Marks a conversation read up to `seq` (over the socket when it is up, else over HTTP). */
export function markRead(conversationId: string, seq: number): void {
  setState((s) => {
    const known = s.conversations[conversationId];
    if (!known) return {};
    const read = Math.max(known.read, seq);
    return {
      conversations: {
        ...s.conversations,
        [conversationId]: {
          ...known,
          read,
          unread: Math.max(0, known.seq - read),
          // Which unread messages mention me is the server's to count: all read, none left.
          mentionUnread: read >= known.seq ? 0 : known.mentionUnread,
        },
      },
    };
  });
  const write = session?.state === "open"
    ? session.request("conversation.markChat", { conversationId, seq })
    : unwrap(
      api.PUT("/v1/im/conversation", {
        body: { conversationList: { [conversationId]: { read: seq } } },
      }),
    );
  write.catch((error) => console.warn("mark read failed", error));
}

/** What a text may carry besides itself: the message it answers, who it mentions (groups). */
export interface TextExtras {
  replyTo?: string;
  mentions?: string[];
}

/** Sends a text through the session's outbox (it survives reconnects). */
export function sendText(conversation: Conversation, content: string, extras: TextExtras = {}) {
  if (!session) return Promise.reject(new Error("not signed in"));
  return session.send({
    conversationId: conversation.conversationId,
    chatType: conversation.chatType,
    recvId: conversation.targetId,
    msg: { mType: 0, content },
    ...extras,
  });
}

let lastTyping = 0;
/** Tells the others I am typing, at most every 2 s (the server drops more anyway). */
export function sendTyping(conversationId: string): void {
  if (Date.now() - lastTyping < 2000 || session?.state !== "open") return;
  lastTyping = Date.now();
  session.request("conversation.typing", { conversationId })
    .catch((error) => console.warn("typing not sent", error));
}

/** Opens (creating if needed) the chat with a friend or a group. */
export async function startChat(recvId: string, chatType: 1 | 2): Promise<void> {
  const conversation = await unwrap(
    api.POST("/v1/im/setup/conversation", { body: { recvId, chatType } }),
  );
  setState((s) => ({
    conversations: { ...s.conversations, [conversation.conversationId]: conversation },
  }));
  // A conversation the session follows already is its to keep: the list's counters may be ahead
  // of the messages this page holds (changes made while the socket was away come with its resync).
  if (session && session.lastSeq(conversation.conversationId) === undefined) {
    session.follow(conversation.conversationId, conversation.seq, conversation.changeSeq);
  }
  await openConversation(conversation.conversationId);
}
