/** How views run what a person asked for and say how it went. */
import { useState } from "preact/hooks";
import { ChatError } from "../../shared/client/index.ts";

/** What a failed call tells the person: the contract's message, or the error's own text. */
export function errorText(error: unknown): string {
  return error instanceof ChatError ? error.message : String(error);
}

/**
 * A view's notice and its actions: `act` runs one, shows `done` (or what went wrong) in the
 * notice, and refreshes the view.
 */
export function useActions(refresh: () => Promise<void>) {
  const [message, setMessage] = useState<string>();
  async function act(what: () => Promise<unknown>, done: string) {
    try {
      await what();
      setMessage(done);
      await refresh();
    } catch (error) {
      setMessage(errorText(error));
    }
  }
  return { message, setMessage, act };
}
