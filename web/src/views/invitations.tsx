/**
 * My pending group invitations (CONTRACT §15), kept live by the `group.invitation` push. An
 * invitation names the group only by id (its name is for members), so each row shows who invites.
 */
import { errorText } from "../actions.ts";
import { answerInvitation, loadInvitations } from "../social.ts";
import { useStore } from "../store.ts";
import { useState } from "preact/hooks";

export function Invitations() {
  const { invitations, names } = useStore();
  const [message, setMessage] = useState<string>();
  if (invitations.length === 0 && !message) return null;
  const answer = (id: string, accept: boolean) =>
    answerInvitation(id, accept).then(setMessage, (error) => {
      setMessage(errorText(error));
      // One no longer pending (expired, or its group gone) leaves the list as the server has it.
      return loadInvitations();
    }).catch((error) => setMessage(errorText(error)));
  return (
    <>
      <h2>Invitations</h2>
      {message && <p class="notice" role="status" data-testid="invitation-notice">{message}</p>}
      <ul class="list" data-testid="group-invitations">
        {invitations.map((invitation) => (
          <li key={invitation.id} class="row" data-testid="group-invitation">
            <span class="grow">
              <strong>{names[invitation.inviterUid] ?? invitation.inviterUid.slice(0, 8)}</strong>
              {" invites you to group "}
              <code>{invitation.groupId.slice(0, 8)}</code>
            </span>
            <button
              type="button"
              onClick={() =>
                void answer(invitation.id, true)}
            >
              Accept
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void answer(invitation.id, false)}
            >
              Decline
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
