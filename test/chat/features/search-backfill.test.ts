/**
 * A conversation stored before the search index existed: when it wakes, the index is created
 * and its older messages are indexed SEARCH_BACKFILL_STEP at a time by the alarm; searches are
 * complete before, during and after.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { SearchIndex } from "../../../workers/conversation/search-index.ts";
import { SEARCH_BACKFILL_STEP } from "../../../shared/limits.ts";
import { friendsPair } from "../../helpers/chat.ts";
import { storeText } from "../../helpers/direct-send.ts";
import { found } from "../../helpers/features.ts";
import { recall } from "../../helpers/lifecycle.ts";
import { abortInstance } from "../../helpers/restarts.ts";

const readMeta = (state: DurableObjectState) =>
  state.storage.sql.exec<{ value: string }>(
    "SELECT value FROM meta WHERE key = 'searchBackfill'",
  ).toArray()[0]?.value;

/** The seqs the FTS index itself finds for `query` (3+ characters). */
const indexed = (state: DurableObjectState, query: string) =>
  state.storage.sql.exec<{ rowid: number }>(
    "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rowid",
    `"${query}"`,
  ).toArray().map((row) => row.rowid);

describe("search in a conversation stored before the index", () => {
  it("backfills on wake in bounded steps, and finds old and new messages", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const total = SEARCH_BACKFILL_STEP + 20;
    const first = await storeText(alice, bob.id, "大家你好啊 Alpha Centauri");
    const gone = await storeText(alice, bob.id, "Alpha recalled");
    for (let i = 3; i <= total; i++) await storeText(bob, alice.id, `filler ${i}`);
    expect((await recall(alice, conversationId, gone.msgId)).status).toBe(200);
    // As an older version left it: no index, no backfill record.
    const before = env.CONVERSATION.getByName(conversationId);
    await runInDurableObject(before, (_instance, state) => {
      state.storage.sql.exec("DROP TABLE search_text");
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'searchBackfill'");
    });
    await abortInstance(before);

    const steps = vi.spyOn(SearchIndex.prototype, "backfillStep");
    const stub = env.CONVERSATION.getByName(conversationId);
    // Woken by a search: the index is there, empty, with the old messages still to do — and the
    // search (by scan over what is not indexed yet) is complete.
    expect(await found(bob, "centauri", conversationId)).toEqual(["大家你好啊 Alpha Centauri"]);
    const stepsToDo = Math.ceil(total / SEARCH_BACKFILL_STEP);
    const progress: (string | undefined)[] = [];
    for (let step = 0; step < stepsToDo + 2; step++) {
      progress.push(await runInDurableObject(stub, (_i, state) => readMeta(state)));
      if (progress.at(-1) === `${total}:${total}`) break;
      await runDurableObjectAlarm(stub);
    }
    // Bounded steps: never more than SEARCH_BACKFILL_STEP messages at a time.
    const done = progress.map((value) => Number(value?.split(":")[0]));
    for (let i = 1; i < done.length; i++) {
      expect(done[i]! - done[i - 1]!).toBeLessThanOrEqual(SEARCH_BACKFILL_STEP);
    }
    expect(progress.at(-1)).toBe(`${total}:${total}`);
    // One step per alarm, each of SEARCH_BACKFILL_STEP: two for this conversation.
    expect(steps.mock.calls).toEqual([[SEARCH_BACKFILL_STEP], [SEARCH_BACKFILL_STEP]]);
    vi.restoreAllMocks();
    // The index itself holds the old text (not the recalled one).
    const inIndex = await runInDurableObject(stub, (_i, state) => ({
      centauri: indexed(state, "Centauri"),
      alpha: indexed(state, "Alpha"),
      filler: indexed(state, "filler").length,
    }));
    expect(inIndex).toEqual({ centauri: [1], alpha: [1], filler: total - 2 });
    expect(await found(bob, "你好", conversationId)).toEqual(["大家你好啊 Alpha Centauri"]);
    expect(await found(alice, "ALPHA", conversationId)).toEqual(["大家你好啊 Alpha Centauri"]);
    // New messages are indexed as they are sent.
    await storeText(bob, alice.id, "a new Centauri");
    expect(await found(alice, "centauri", conversationId)).toEqual([
      "a new Centauri",
      "大家你好啊 Alpha Centauri",
    ]);
    expect(first.seq).toBe(1);
  });
});
