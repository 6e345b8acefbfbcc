/**
 * Catching the user's list up with the conversations it may be behind (list-marks.ts says
 * which): each is asked where the user stands, in parallel, and the caller waits at most one
 * time budget. An answer that comes later is still merged when it comes (the conversation has
 * counted everything it answered as delivered); one that never comes leaves the mark for the
 * next time.
 */
import { parseConversationId } from "../../shared/chat/conversation-id.ts";
import { askConversation } from "../../shared/chat/conversation-asks.ts";
import type { ConversationList } from "./conversation-list.ts";

/** How long a list read waits for the conversations it is behind, all together. */
export const CATCH_UP_BUDGET_MS = 2_000;

/** An ask in flight, and the deliveries away its answer covers. */
interface Asking {
  answered: Promise<void>;
  asOf: number;
}

export class ListCatchUp {
  /** Conversations being asked now: a second reader waits for the same answer. */
  private readonly asking = new Map<string, Asking>();

  constructor(
    private readonly env: Env,
    private readonly userId: string,
    private readonly list: ConversationList,
  ) {}

  /** Asks every conversation the list is behind; resolves when each answered or time is up. */
  async run(budgetMs = CATCH_UP_BUDGET_MS): Promise<void> {
    const behind = this.list.behind();
    if (behind.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)));
    const answered = Promise.all(
      behind.map(({ conversationId, asOf }) => this.askOnce(conversationId, asOf)),
    );
    await Promise.race([answered, timeUp]);
    clearTimeout(timer);
  }

  /**
   * Joins an ask in flight that covers `asOf`; one that covers less (a delivery went away since
   * it started) is followed by a new ask.
   */
  private askOnce(conversationId: string, asOf: number): Promise<void> {
    const inFlight = this.asking.get(conversationId);
    if (inFlight && inFlight.asOf >= asOf) return inFlight.answered;
    const answered = (inFlight?.answered ?? Promise.resolve())
      .then(() => this.ask(conversationId, asOf))
      .finally(() => {
        if (this.asking.get(conversationId)?.answered === answered) {
          this.asking.delete(conversationId);
        }
      });
    this.asking.set(conversationId, { answered, asOf });
    return answered;
  }

  private async ask(conversationId: string, asOf: number): Promise<void> {
    try {
      const conversation = parseConversationId(conversationId);
      const position = await askConversation(
        this.env,
        conversation,
        this.userId,
        "catchUpMember",
        null,
      );
      this.list.caughtUp(conversation, position, asOf);
    } catch (error) {
      console.warn(`UserSession ${this.userId}: catching up ${conversationId} failed:`, error);
    }
  }
}
