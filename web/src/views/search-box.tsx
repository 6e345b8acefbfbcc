/**
 * Search over my conversations (CONTRACT §13): the box above the list, the results with the
 * conversation's name and the text around the match; a click opens the chat at the message.
 */
import { useState } from "preact/hooks";
import type { SearchHit } from "../../../shared/client/index.ts";
import { errorText } from "../actions.ts";
import { jumpTo, searchMessages } from "../features.ts";
import { conversationName, useStore } from "../store.ts";

export function SearchBox() {
  const { conversations, names } = useStore();
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[]>();
  const [error, setError] = useState<string>();
  async function submit(event: Event) {
    event.preventDefault();
    setError(undefined);
    try {
      setHits(await searchMessages(query.trim()));
    } catch (thrown) {
      setError(errorText(thrown));
    }
  }
  return (
    <div class="search">
      <form class="row" onSubmit={(event) => void submit(event)}>
        <input
          aria-label="Find text in chats"
          placeholder="Search messages"
          value={query}
          minLength={2}
          maxLength={100}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <button type="submit">Search</button>
        {hits && (
          <button type="button" class="link" onClick={() => setHits(undefined)}>Clear</button>
        )}
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {hits && (
        <ul class="results" data-testid="search-results">
          {hits.length === 0 && <li class="empty">No messages found.</li>}
          {hits.map(({ message, snippet }) => (
            <li key={message.msgId}>
              <button
                type="button"
                class="result"
                data-testid="search-result"
                onClick={() => void jumpTo(message)}
              >
                <small>{conversationName(conversations[message.conversationId], names)}</small>
                <span>{snippet}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
