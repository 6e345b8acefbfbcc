/**
 * One group: its id to share, its notice (live; set by the creator and managers), members with
 * online dots, invite a friend, pending requests.
 */
import { useEffect, useState } from "preact/hooks";
import type { components } from "../../../shared/client/index.ts";
import { MAX_NOTIFICATION_CHARS } from "../../../shared/social/field-sizes.ts";
import { useActions } from "../actions.ts";
import { rememberNames } from "../chat.ts";
import { api, setState, unwrap, useStore } from "../store.ts";

type Group = components["schemas"]["Group"];
type GroupMember = components["schemas"]["GroupMember"];
type GroupRequest = components["schemas"]["GroupRequest"];
type Friend = components["schemas"]["Friend"];

const ROLE = { 1: "creator", 2: "manager", 3: "member" } as Record<number, string>;

interface Props {
  group: Group;
  onBack: () => void;
  onChat: () => void;
}

export function GroupDetail({ group, onBack, onChat }: Props) {
  const { me, names, groupNotices } = useStore();
  const [members, setMembers] = useState<GroupMember[]>([]);
  const [online, setOnline] = useState<Record<string, boolean>>({});
  const [requests, setRequests] = useState<GroupRequest[]>();
  const [friends, setFriends] = useState<Friend[]>([]);
  const { message, act } = useActions(refresh);
  const query = { params: { query: { groupId: group.id } } };

  async function refresh() {
    const [{ list }, presence, mine] = await Promise.all([
      unwrap(api.GET("/v1/social/group/users", query)),
      unwrap(api.GET("/v1/social/group/users/online", query)),
      unwrap(api.GET("/v1/social/friends")),
    ]);
    setMembers(list);
    setOnline(presence.onlineList);
    setFriends(mine.list);
    rememberNames(list.map((m) => [m.userId, m.nickname]));
    const myRole = list.find((m) => m.userId === me?.id)?.roleLevel ?? 3;
    // Only the creator and managers may see and handle join requests.
    if (myRole <= 2) setRequests((await unwrap(api.GET("/v1/social/group/putIns", query))).list);
  }

  useEffect(() => void act(refresh, ""), [group.id]);

  async function setNotice(notification: string) {
    await unwrap(api.PUT("/v1/social/group", { body: { groupId: group.id, notification } }));
    setState((s) => ({ groupNotices: { ...s.groupNotices, [group.id]: notification } }));
  }

  const notice = groupNotices[group.id] ?? group.notification;
  const memberIds = new Set(members.map((m) => m.userId));
  const invitable = friends.filter((f) => !memberIds.has(f.friendUid));
  return (
    <div class="panel" data-testid="group-detail">
      <header class="row">
        <button type="button" class="link" onClick={onBack}>‹ Groups</button>
        <strong class="grow">{group.name}</strong>
        <button type="button" onClick={onChat}>Open chat</button>
      </header>
      <p>
        <small>
          Group id (share it to let people apply): <code data-testid="group-id">{group.id}</code>
        </small>
      </p>
      {message && <p class="notice" role="status">{message}</p>}
      <h2>Notice</h2>
      <p class="group-notice" data-testid="group-notice">{notice || "No notice."}</p>
      {requests && (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget as HTMLFormElement;
            const text = String(new FormData(form).get("notice")).trim();
            form.reset();
            void act(() => setNotice(text), "Notice set.");
          }}
        >
          <input
            name="notice"
            placeholder="New notice"
            aria-label="New notice"
            maxLength={MAX_NOTIFICATION_CHARS}
          />
          <button type="submit">Set notice</button>
        </form>
      )}
      <h2>Members</h2>
      <ul class="list">
        {members.map((m) => (
          <li key={m.userId} class="row">
            <span class={`dot ${online[m.userId] ? "on" : ""}`} />
            <span class="grow">{m.nickname}</span>
            <small>{ROLE[m.roleLevel]}</small>
          </li>
        ))}
      </ul>
      {invitable.length > 0 && (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            const inviteeUid = String(
              new FormData(event.currentTarget as HTMLFormElement).get("friend"),
            );
            void act(() =>
              unwrap(
                api.POST("/v1/social/group/putIn", {
                  body: { groupId: group.id, joinSource: 1, inviteeUid },
                }),
              ), "Invited.");
          }}
        >
          <select name="friend" aria-label="Friend to invite">
            {invitable.map((f) => (
              <option key={f.friendUid} value={f.friendUid}>{f.remark || f.nickname}</option>
            ))}
          </select>
          <button type="submit">Invite</button>
        </form>
      )}
      {requests && (
        <>
          <h2>Join requests</h2>
          <ul class="list" data-testid="group-requests">
            {requests.length === 0 && <li class="empty">None pending.</li>}
            {requests.map((r) => (
              <li key={r.id} class="row">
                <span class="grow">
                  {names[r.reqId] ?? r.reqId.slice(0, 8)}{" "}
                  {r.joinSource === 1 ? "(invited)" : "(applied)"}
                </span>
                {[2, 3].map((handleResult) => (
                  <button
                    key={handleResult}
                    type="button"
                    class={handleResult === 3 ? "secondary" : ""}
                    onClick={() =>
                      void act(() =>
                        unwrap(
                          api.PUT("/v1/social/group/putIn", {
                            body: { groupReqId: r.id, groupId: group.id, handleResult },
                          }),
                        ), handleResult === 2 ? "Accepted." : "Refused.")}
                  >
                    {handleResult === 2 ? "Accept" : "Refuse"}
                  </button>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
