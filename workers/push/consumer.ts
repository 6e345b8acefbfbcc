/**
 * The push queue's consumer (the Worker's `queue` handler): sends each push, removes a
 * subscription the push service says is gone, retries the rest with their own delay, and hands
 * a coalescing window's end to the user's session. Every outcome is one structured log line
 * (`{"push":"sent",…}`), which Workers Logs counts (docs/push.md "Counting").
 */
import { createDb } from "../../shared/db/client.ts";
import { findUserById } from "../../shared/db/users.ts";
import type { PushPayload } from "../../shared/push/schemas.ts";
import type { PushQueueMessage, SendPushMessage } from "./queue-messages.ts";
import { sendPush } from "./send-push.ts";

/** A window's end that failed to reach the session is tried again this soon. */
const WINDOW_RETRY_SECONDS = 5;

export async function consumePushBatch(
  batch: MessageBatch<PushQueueMessage>,
  env: Env,
): Promise<void> {
  const names = new Map<string, Promise<string>>();
  const senderName = (sendId: string) => {
    let name = names.get(sendId);
    if (!name) {
      name = findUserById(createDb(env), sendId).then((user) => user?.nickname ?? "");
      names.set(sendId, name);
    }
    return name;
  };
  await Promise.all(batch.messages.map(async (message) => {
    try {
      const body = message.body;
      if (body.kind === "window") {
        await env.USER_SESSION.getByName(body.userId).pushWindowEnded(body.conversationId);
        message.ack();
        return;
      }
      await sendOne(env, message as Message<SendPushMessage>, senderName);
    } catch (error) {
      console.error("push queue message failed:", error);
      logOutcome("error", 0, message.attempts);
      message.retry({ delaySeconds: WINDOW_RETRY_SECONDS });
    }
  }));
}

async function sendOne(
  env: Env,
  message: Message<SendPushMessage>,
  senderName: (sendId: string) => Promise<string>,
): Promise<void> {
  const body = message.body;
  const payload: PushPayload = body.payload.type === "message"
    ? { ...body.payload, senderName: await senderName(body.payload.sendId) }
    : body.payload;
  const outcome = await sendPush(env, body, payload, message.attempts);
  logOutcome(outcome.kind, outcome.status, message.attempts);
  if (outcome.kind === "retry") {
    message.retry({ delaySeconds: outcome.delaySeconds });
    return;
  }
  if (outcome.kind === "gone") {
    await env.USER_SESSION.getByName(body.userId).removePushSubscription(
      body.subscription.endpoint,
    );
  }
  message.ack();
}

function logOutcome(outcome: string, status: number, attempts: number): void {
  console.log(JSON.stringify({ push: outcome, status, attempts }));
}
