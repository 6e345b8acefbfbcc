/**
 * The app's state in one place: the signed-in user, the SDK's HTTP client and realtime session,
 * the conversation list with live unread counts, and each open chat's messages. Views read it
 * through useStore() and change it only through the functions here.
 */
import { useEffect, useState } from "preact/hooks";
import {
  type ChatLog,
  ChatSession,
  type components,
  createApiClient,
  type SessionState,
  unwrap,
} from "../../shared/client/index.ts";

export type Conversation = components["schemas"]["Conversation"];
export type User = components["schemas"]["User"];
export type GroupInvitation = components["schemas"]["GroupInvitation"];
export type GroupLeaving = "kicked" | "dissolved" | "quit";

export interface AppState {
  token: string | undefined;
  me: User | undefined;
  connection: SessionState;
  /** Why the session ended (4001 / 4003), shown on the login screen. */
  notice: string | undefined;
  conversations: Record<string, Conversation>;
  openId: string | undefined;
  /** Each loaded chat's messages, ascending by seq, no seq twice. */
  messages: Record<string, ChatLog[]>;
  /** Whether older messages than the first loaded one exist. */
  hasOlder: Record<string, boolean>;
  /** conversationId → when the other side's typing indicator ends (ms). */
  typingUntil: Record<string, number>;
  /** Single chats: how far the other side has read. */
  peerRead: Record<string, number>;
  /** userId / groupId → display name. */
  names: Record<string, string>;
  /** groupId → its notice as last pushed (`group.notice`), newer than a loaded Group's. */
  groupNotices: Record<string, string>;
  /** conversationId → its pinned messages, newest pin first. */
  pins: Record<string, ChatLog[]>;
  /** conversationId → seq → how many have read my message (group `read.count`). */
  readCounts: Record<string, Record<string, number>>;
  /** The message a search result jumped to, shown highlighted. */
  highlight: { conversationId: string; seq: number } | undefined;
  /** What "Enable notifications" last came to. */
  pushNotice: string | undefined;
  /** My pending group invitations, oldest first (loaded, then kept with `group.invitation`). */
  invitations: GroupInvitation[];
  /** Bumped when a push says the friends or requests changed: the open view reloads them. */
  friendsVersion: number;
  /** Bumped when a push says my groups changed: the open groups view reloads them. */
  groupsVersion: number;
  /** friend's userId → online, from `GET /friends/online` and then each `presence` push. */
  online: Record<string, boolean>;
  /** groupId → why I am no longer in it (`group.removed`); its chat says so. */
  leftGroups: Record<string, GroupLeaving>;
}

const TOKEN_KEY = "easy-chat.token";

let state: AppState = {
  token: localStorage.getItem(TOKEN_KEY) ?? undefined,
  me: undefined,
  connection: "stopped",
  notice: undefined,
  conversations: {},
  openId: undefined,
  messages: {},
  hasOlder: {},
  typingUntil: {},
  peerRead: {},
  names: {},
  groupNotices: {},
  pins: {},
  readCounts: {},
  highlight: undefined,
  pushNotice: undefined,
  invitations: [],
  friendsVersion: 0,
  groupsVersion: 0,
  online: {},
  leftGroups: {},
};
const listeners = new Set<() => void>();

export function getState(): AppState {
  return state;
}

export function setState(change: Partial<AppState> | ((current: AppState) => Partial<AppState>)) {
  state = { ...state, ...(typeof change === "function" ? change(state) : change) };
  for (const listener of listeners) listener();
}

/** The current state; the component re-renders on every change. */
export function useStore(): AppState {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return state;
}

/** The typed HTTP API, with the signed-in user's token. */
export const api = createApiClient({ token: () => state.token });
export { unwrap };

/** The realtime session of the signed-in user (recreated at every sign-in). */
export let session: ChatSession | undefined;

export function setSession(next: ChatSession | undefined): void {
  session = next;
}

export function rememberToken(token: string | undefined): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
  setState({ token });
}

/** Adds messages to a chat, keeping seq order and one entry per seq. */
export function mergeMessages(conversationId: string, incoming: ChatLog[]): void {
  setState((current) => {
    const bySeq = new Map((current.messages[conversationId] ?? []).map((m) => [m.seq, m]));
    for (const message of incoming) bySeq.set(message.seq, message);
    const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    return { messages: { ...current.messages, [conversationId]: sorted } };
  });
}

/** Replaces a chat's messages with `change(messages)` (a recall, an edit, a deletion). */
export function updateMessages(conversationId: string, change: (list: ChatLog[]) => ChatLog[]) {
  setState((current) => {
    const list = current.messages[conversationId];
    return list ? { messages: { ...current.messages, [conversationId]: change(list) } } : {};
  });
}

/** The name to show for a conversation: the friend's nickname or the group's name. */
export function conversationName(
  conversation: Conversation | undefined,
  names: Record<string, string>,
) {
  if (!conversation) return "";
  return names[conversation.targetId] ?? conversation.targetId.slice(0, 8);
}
