/**
 * Groups: my pending invitations (Accept / Decline), create, apply by id, and per group its
 * members, invitations and join requests. The list reloads when a push says it changed.
 */
import { useEffect, useState } from "preact/hooks";
import type { components } from "../../../shared/client/index.ts";
import { errorText, useActions } from "../actions.ts";
import { rememberNames, startChat } from "../chat.ts";
import { loadInvitations } from "../social.ts";
import { api, setState, unwrap, useStore } from "../store.ts";
import { GroupDetail } from "./group-detail.tsx";
import { Invitations } from "./invitations.tsx";

type Group = components["schemas"]["Group"];

export function GroupsView({ onChat }: { onChat: () => void }) {
  const { groupsVersion } = useStore();
  const [groups, setGroups] = useState<Group[]>([]);
  const [selected, setSelected] = useState<string>();
  const { message, setMessage, act } = useActions(refresh);

  async function refresh() {
    const { list } = await unwrap(api.GET("/v1/social/groups"));
    setGroups(list);
    rememberNames(list.map((g) => [g.id, g.name]));
    // The rows just read have each group's notice as it is now: older pushes give way to them.
    setState((s) => {
      const groupNotices = { ...s.groupNotices };
      for (const group of list) delete groupNotices[group.id];
      return { groupNotices };
    });
  }

  useEffect(() => void loadInvitations().catch((error) => setMessage(errorText(error))), []);
  useEffect(() => void act(refresh, ""), [groupsVersion]);

  function formText(event: SubmitEvent, name: string): string {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = String(new FormData(form).get(name)).trim();
    form.reset();
    return value;
  }

  const current = groups.find((g) => g.id === selected);
  if (current) {
    return (
      <GroupDetail
        group={current}
        onBack={() => setSelected(undefined)}
        onChat={() => void act(() => startChat(current.id, 1).then(onChat), "")}
      />
    );
  }
  return (
    <div class="panel">
      <form
        class="inline"
        onSubmit={(event) => {
          const name = formText(event, "name");
          void act(
            () => unwrap(api.POST("/v1/social/group", { body: { name, isVerify: true } })),
            `Created “${name}”.`,
          );
        }}
      >
        <input
          name="name"
          placeholder="New group name"
          aria-label="New group name"
          required
          maxLength={30}
        />
        <button type="submit">Create</button>
      </form>
      <form
        class="inline"
        onSubmit={(event) => {
          const groupId = formText(event, "groupId");
          void act(
            () => unwrap(api.POST("/v1/social/group/putIn", { body: { groupId, joinSource: 2 } })),
            "Request sent.",
          );
        }}
      >
        <input
          name="groupId"
          placeholder="Group id to join"
          aria-label="Group id to join"
          required
        />
        <button type="submit">Apply</button>
      </form>
      {message && <p class="notice" role="status">{message}</p>}
      <Invitations />
      <h2>My groups</h2>
      <ul class="list" data-testid="groups">
        {groups.length === 0 && <li class="empty">No groups yet.</li>}
        {groups.map((g) => (
          <li key={g.id}>
            <button type="button" class="row" onClick={() => setSelected(g.id)}>
              <span class="avatar">#</span>
              <span class="grow">
                <strong>{g.name}</strong> <small>{g.memberCount} members</small>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
