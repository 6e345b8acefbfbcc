/**
 * Find people and ask them, answer incoming requests, friends with their online dots, and the
 * people I block (blocking a friend keeps the friendship but refuses their chat and requests).
 * Requests and friends reload when a push says they changed; the dots follow `presence` pushes.
 */
import { useEffect, useState } from "preact/hooks";
import type { components } from "../../../shared/client/index.ts";
import { errorText, useActions } from "../actions.ts";
import { rememberNames, startChat } from "../chat.ts";
import { loadOnline } from "../social.ts";
import { api, unwrap, useStore } from "../store.ts";

type PublicUser = components["schemas"]["PublicUser"];
type Friend = components["schemas"]["Friend"];
type FriendRequest = components["schemas"]["FriendRequest"];

export function FriendsView({ onChat }: { onChat: () => void }) {
  const [found, setFound] = useState<PublicUser[]>();
  const [requests, setRequests] = useState<FriendRequest[]>([]);
  const [requesters, setRequesters] = useState<Record<string, string>>({});
  const [friends, setFriends] = useState<Friend[]>([]);
  const { friendsVersion, online } = useStore();
  const [blocked, setBlocked] = useState<PublicUser[]>([]);
  const { message, setMessage, act } = useActions(refresh);

  async function refresh() {
    // A new friend's dot is not known yet: the online list is read again with the friends.
    const [received, mine, blocks] = await Promise.all([
      unwrap(api.GET("/v1/social/friend/putIns", { params: { query: { direction: "received" } } })),
      unwrap(api.GET("/v1/social/friends")),
      unwrap(api.GET("/v1/social/blocks")),
      loadOnline(),
    ]);
    setRequests(received.list);
    setFriends(mine.list);
    setBlocked(blocks.list);
    rememberNames(mine.list.map((f) => [f.friendUid, f.remark || f.nickname]));
    const ids = received.list.map((r) => r.reqUid);
    if (ids.length > 0) {
      const { list } = await unwrap(
        api.GET("/v1/user/find", { params: { query: { ids: ids.join(",") } } }),
      );
      setRequesters(Object.fromEntries(list.map((u) => [u.id, u.nickname])));
    }
  }

  useEffect(() => void refresh().catch((error) => setMessage(errorText(error))), [friendsVersion]);

  async function search(event: SubmitEvent) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget as HTMLFormElement).get("q")).trim();
    const query = /^\+?\d{5,20}$/.test(text) ? { phone: text } : { name: text };
    await act(
      async () => setFound((await unwrap(api.GET("/v1/user/find", { params: { query } }))).list),
      "",
    );
  }

  const blockedIds = new Set(blocked.map((user) => user.id));
  const friendIds = new Set(friends.map((f) => f.friendUid));
  const blockedStrangers = blocked.filter((user) => !friendIds.has(user.id));
  const block = (userId: string) =>
    act(() => unwrap(api.POST("/v1/social/block", { body: { userId } })), "Blocked.");
  const unblock = (userId: string) =>
    act(() => unwrap(api.DELETE("/v1/social/block", { body: { userId } })), "Unblocked.");

  return (
    <div class="panel">
      <form class="inline" onSubmit={search}>
        <input name="q" placeholder="Phone or name" aria-label="Find people" required />
        <button type="submit">Find</button>
      </form>
      {message && <p class="notice" role="status">{message}</p>}
      {found && (
        <ul class="list" data-testid="found">
          {found.length === 0 && <li class="empty">Nobody found.</li>}
          {found.map((user) => (
            <li key={user.id} class="row">
              <span class="grow">{user.nickname}</span>
              <button
                type="button"
                onClick={() =>
                  void act(
                    () =>
                      unwrap(api.POST("/v1/social/friend/putIn", { body: { userUid: user.id } })),
                    "Request sent.",
                  )}
              >
                Add friend
              </button>
            </li>
          ))}
        </ul>
      )}
      <h2>Requests</h2>
      <ul class="list" data-testid="friend-requests">
        {requests.length === 0 && <li class="empty">No pending requests.</li>}
        {requests.map((r) => (
          <li key={r.id} class="row">
            <span class="grow">
              {requesters[r.reqUid] ?? r.reqUid.slice(0, 8)}{" "}
              {r.reqMsg && <small>“{r.reqMsg}”</small>}
            </span>
            <button
              type="button"
              onClick={() =>
                void act(() =>
                  unwrap(
                    api.PUT("/v1/social/friend/putIn", {
                      body: { friendReqId: r.id, handleResult: 2 },
                    }),
                  ), "Now friends.")}
            >
              Accept
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(() =>
                  unwrap(
                    api.PUT("/v1/social/friend/putIn", {
                      body: { friendReqId: r.id, handleResult: 3 },
                    }),
                  ), "Refused.")}
            >
              Refuse
            </button>
          </li>
        ))}
      </ul>
      <h2>Friends</h2>
      <ul class="list" data-testid="friends">
        {friends.length === 0 && <li class="empty">No friends yet.</li>}
        {friends.map((f) => (
          <li key={f.id} class="friend">
            <button
              type="button"
              class="row"
              onClick={() => void act(() => startChat(f.friendUid, 2).then(onChat), "")}
            >
              <span
                class={`dot ${online[f.friendUid] ? "on" : ""}`}
                title={online[f.friendUid] ? "online" : "offline"}
              />
              <span class="grow">{f.remark || f.nickname}</span>
              {blockedIds.has(f.friendUid) && <small data-testid="blocked-mark">blocked</small>}
              <span class="link">Chat</span>
            </button>
            {blockedIds.has(f.friendUid)
              ? (
                <button type="button" class="secondary" onClick={() => void unblock(f.friendUid)}>
                  Unblock
                </button>
              )
              : (
                <button type="button" class="secondary" onClick={() => void block(f.friendUid)}>
                  Block
                </button>
              )}
          </li>
        ))}
      </ul>
      {blockedStrangers.length > 0 && (
        <>
          <h2>Blocked</h2>
          <ul class="list" data-testid="blocked">
            {blockedStrangers.map((user) => (
              <li key={user.id} class="row">
                <span class="grow">{user.nickname}</span>
                <button type="button" class="secondary" onClick={() => void unblock(user.id)}>
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
