/**
 * One way for an object to defer a write that would otherwise run once per message (a
 * Conversation's delivery watermarks, a UserSession's list rows): changes wait in memory and are
 * saved together by one timer within `delayMs`, jittered so that the sessions of one big group,
 * started by the same message, do not all save at once. A caller may save the first change after
 * a quiet spell at once (`quiet`, then `now`). What a deferred write costs when the object goes away first
 * is each caller's to make good (see docs/messaging.md "Deferred writes").
 */
export class DeferredSave {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSaveAt = Number.NEGATIVE_INFINITY;

  /** `save` writes everything that changed; `describe` names the object in a failure's log. */
  constructor(
    private readonly save: () => void,
    private readonly delayMs: number,
    private readonly describe: string,
  ) {}

  /** True when nothing was saved within the delay and no save waits: a change goes at once. */
  get quiet(): boolean {
    return this.timer === null && Date.now() - this.lastSaveAt >= this.delayMs;
  }

  /** Saves within the delay (1 to 1.5 times it), together with whatever else changes. */
  later(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      try {
        this.now();
      } catch (error) {
        console.error(`${this.describe}: a deferred save failed:`, error);
      }
    }, this.delayMs * (1 + Math.random() / 2));
  }

  /** Saves now; a save that was waiting is no longer needed. */
  now(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.lastSaveAt = Date.now();
    this.save();
  }
}
