/**
 * The social pushes (CONTRACT §14) into the store, and group invitations (§15). Pushes are best
 * effort: they bump the version the open friends or groups view reloads on, and every reconnect
 * (each `ready` after the first) bumps both and reloads the invitations and online dots, for what
 * a dropped socket missed. The lists stay the source of truth.
 */
import {
  answerGroupInvitation,
  type ChatSession,
  type components,
  groupInvitations,
} from "../../shared/client/index.ts";
import { rememberNames } from "./chat.ts";
import { api, getState, type GroupInvitation, setState, unwrap } from "./store.ts";

type Group = components["schemas"]["Group"];

const bumpFriends = () => setState((s) => ({ friendsVersion: s.friendsVersion + 1 }));
const bumpGroups = () => setState((s) => ({ groupsVersion: s.groupsVersion + 1 }));

export function followSocial(live: ChatSession): void {
  let connects = 0;
  live.on("ready", () => {
    connects += 1;
    void loadInvitations().catch((error) => console.warn("invitations not loaded", error));
    void loadOnline().catch((error) => console.warn("online friends not loaded", error));
    if (connects > 1) {
      bumpFriends();
      bumpGroups();
    }
  });
  live.on("friend.request", bumpFriends);
  live.on("friend.handled", bumpFriends);
  live.on("friend.removed", bumpFriends);
  live.on("presence", ({ userId, online }) => {
    setState((s) => ({ online: { ...s.online, [userId]: online } }));
  });
  live.on("group.invitation", ({ invitation }) => void addInvitation(invitation));
  live.on("group.joined", ({ group }) => joined(group));
  live.on("group.removed", ({ groupId, reason }) => {
    setState((s) => ({ leftGroups: { ...s.leftGroups, [groupId]: reason } }));
    bumpGroups();
  });
}

/** Friends' online dots as the server has them now; the `presence` pushes keep them after. */
export async function loadOnline(): Promise<void> {
  const { onlineList } = await unwrap(api.GET("/v1/social/friends/online"));
  setState({ online: onlineList });
}

/** My pending invitations, with the inviters' names. */
export async function loadInvitations(): Promise<void> {
  const list: GroupInvitation[] = [];
  for await (const invitation of groupInvitations(api)) list.push(invitation);
  await rememberInviters(list);
  setState({ invitations: list });
}

async function addInvitation(invitation: GroupInvitation): Promise<void> {
  await rememberInviters([invitation]).catch((error) => console.warn("no inviter name", error));
  setState((s) => ({
    invitations: s.invitations.some((i) => i.id === invitation.id)
      ? s.invitations
      : [...s.invitations, invitation],
  }));
}

async function rememberInviters(list: GroupInvitation[]): Promise<void> {
  const missing = [...new Set(list.map((i) => i.inviterUid))].filter((id) => !getState().names[id]);
  if (missing.length === 0) return;
  const found = await unwrap(
    api.GET("/v1/user/find", { params: { query: { ids: missing.join(",") } } }),
  );
  rememberNames(found.list.map((user) => [user.id, user.nickname]));
}

function joined(group: Group): void {
  rememberNames([[group.id, group.name]]);
  setState((s) => {
    const { [group.id]: _, ...leftGroups } = s.leftGroups;
    // Joining by another way in answers every pending invitation to the group on the server.
    const invitations = s.invitations.filter((i) => i.groupId !== group.id);
    return { leftGroups, invitations };
  });
  bumpGroups();
}

/**
 * Accepts or declines an invitation; it leaves the list either way. Accepting answers whether I am
 * in now or a join request waits for the group's managers.
 */
export async function answerInvitation(id: string, accept: boolean): Promise<string> {
  const { request } = await answerGroupInvitation(api, id, accept);
  setState((s) => ({ invitations: s.invitations.filter((i) => i.id !== id) }));
  if (!accept) return "Invitation declined.";
  bumpGroups();
  return request?.handleResult === 2 ? "Joined." : "Asked to join: a manager lets you in.";
}
