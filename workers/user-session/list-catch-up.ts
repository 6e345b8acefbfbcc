/**
 * Catching the user's list up with the conversations it may be behind (list-marks.ts says
 * which): each is asked where the user stands, in parallel, within one time budget. A
 * conversation that does not answer in time keeps its mark and is asked again next time.
 */
import { parseConversationId } from "../../shared/chat/conversation-id.ts";
import { askConversation } from "../../shared/chat/conversation-asks.ts";
import type { ConversationList } from "./conversation-list.ts";

/** How long a list read waits for the conversations it is behind, all together. */
export const CATCH_UP_BUDGET_MS = 2_000;
/** At start the session serves nothing until its marks are caught up: a longer budget. */
export const START_CATCH_UP_BUDGET_MS = 5_000;

export class ListCatchUp {
  /** Conversations being asked now: a second reader waits for the same answer. */
  private readonly asking = new Map<string, Promise<void>>();

  constructor(
    private readonly env: Env,
    private readonly userId: string,
    private readonly list: ConversationList,
  ) {}

  /** Asks every conversation the list is behind; resolves when each answered or timed out. */
  async run(budgetMs = CATCH_UP_BUDGET_MS): Promise<void> {
    const behind = this.list.behind();
    if (behind.length === 0) return;
    const deadline = Date.now() + budgetMs;
    await Promise.all(behind.map(({ conversationId, asOf }) => {
      let asked = this.asking.get(conversationId);
      if (!asked) {
        asked = this.ask(conversationId, asOf, deadline)
          .finally(() => this.asking.delete(conversationId));
        this.asking.set(conversationId, asked);
      }
      return asked;
    }));
  }

  private async ask(conversationId: string, asOf: number, deadline: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const conversation = parseConversationId(conversationId);
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error("no answer in time")), deadline - Date.now());
      });
      const position = await Promise.race([
        askConversation(this.env, conversation, this.userId, "catchUpMember", null),
        timeout,
      ]);
      this.list.caughtUp(conversation, position, asOf);
    } catch (error) {
      console.warn(`UserSession ${this.userId}: catching up ${conversationId} failed:`, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
