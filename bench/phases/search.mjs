/**
 * Search (CONTRACT §13): what the FTS5 trigram index costs per message stored, and how fast
 * `GET /v1/im/search` answers over one 10,000-message conversation and over a reader's 50
 * conversations. The messages are stored through the Conversation's own `send` ask by the
 * bench's entry (`POST /__bench/store`), past the per-user message rate; the searches go over
 * HTTP, spread over several readers so the 30-per-minute limit is not what is measured.
 */
import { randomUUID } from "node:crypto";
import { heading, step } from "../lib/progress.mjs";
import { createGroup, seedUsers } from "../lib/seed.mjs";
import { latencyHistogram } from "../lib/stats.mjs";
import { inParallel } from "../lib/ws-client.mjs";

const BIG_CONVERSATION = 10_000;
const STORE_BATCH = 250;
const CONVERSATIONS = 50;
const PER_CONVERSATION = 200;
const READERS = 10;
/** Searches per reader: within the 30-a-minute limit. */
const SEARCHES_PER_READER = 25;
const WORDS = [
  "meeting",
  "budget",
  "deploy",
  "release",
  "coffee",
  "weekend",
  "invoice",
  "design",
  "你好",
  "明天见",
  "会议",
  "项目",
  "谢谢大家",
];
/** Queries by path: 3+ characters go through the index, 2 characters scan. */
const QUERIES = {
  "3+ characters (index)": ["meeting", "Budget", "明天见", "谢谢大家", "rare-term-zz"],
  "2 characters (scan)": ["你好", "会议", "项目"],
};

/** A message of 6–14 words from WORDS (and, rarely, one rare term). */
function text(i) {
  const words = [];
  const length = 6 + (i % 9);
  for (let w = 0; w < length; w++) words.push(WORDS[(i * 7 + w * 13) % WORDS.length]);
  if (i % 997 === 0) words.push("rare-term-zz");
  return `${words.join(" ")} #${i}`;
}

async function counters(ctx) {
  const response = await fetch(new URL("/__bench/counters", ctx.app.url));
  if (!response.ok) throw new Error(`GET /__bench/counters → ${response.status}`);
  return await response.json();
}

/** Stores `count` texts in `conversationId` as `senderId` (from `start`), in batches. */
async function store(ctx, conversationId, senderId, count, start = 0, progress) {
  for (let done = 0; done < count; done += STORE_BATCH) {
    const texts = [];
    for (let i = done; i < Math.min(count, done + STORE_BATCH); i++) texts.push(text(start + i));
    const response = await fetch(new URL("/__bench/store", ctx.app.url), {
      method: "POST",
      body: JSON.stringify({ conversationId, senderId, texts }),
    });
    if (!response.ok) throw new Error(`POST /__bench/store → ${await response.text()}`);
    progress?.tick(texts.length);
  }
}

/** Runs every query of every kind `rounds` times spread over `readers`; per kind a histogram. */
async function measureQueries(ctx, readers, conversationId, label) {
  const results = {};
  for (const [kind, queries] of Object.entries(QUERIES)) {
    const histogram = latencyHistogram();
    const total = readers.length * Math.floor(SEARCHES_PER_READER / 2);
    const progress = step(`${label}, ${kind}`, total);
    const searched = [];
    await inParallel(total, 4, async (i) => {
      const reader = readers[i % readers.length];
      const q = queries[i % queries.length];
      const query = new URLSearchParams({
        q,
        limit: "20",
        ...(conversationId && { conversationId }),
      });
      const started = performance.now();
      const data = await ctx.api.call("GET", `/v1/im/search?${query}`, reader.token);
      histogram.record(performance.now() - started);
      searched.push(data.searched);
      progress.tick();
    });
    progress.done(`p50 ${histogram.at(50).toFixed(1)} ms, p99 ${histogram.at(99).toFixed(1)} ms`);
    results[kind] = {
      p50: histogram.at(50),
      p99: histogram.at(99),
      searched: Math.min(...searched),
    };
  }
  return results;
}

export async function runSearch(ctx) {
  const { results } = ctx;
  heading("search: index cost and query latency");
  // Two sets of readers, each within its 30 searches a minute: one reads the big conversation,
  // the other has exactly the 50 conversations of the second part.
  const [owner, ...users] = await seedUsers(ctx.app, 2 * READERS + 1, "searcher");
  const bigReaders = users.slice(0, READERS);
  const manyReaders = users.slice(READERS);

  // One 10,000-message group conversation: what storing a message costs with the index.
  const bigGroup = await createGroup(
    ctx.api,
    [owner, ...bigReaders],
    `search ${randomUUID().slice(0, 8)}`,
  );
  const before = await counters(ctx);
  const filling = step(`store ${BIG_CONVERSATION} messages`, BIG_CONVERSATION);
  const startedFill = performance.now();
  await store(ctx, bigGroup, owner.id, BIG_CONVERSATION, 0, filling);
  filling.done(`${((performance.now() - startedFill) / 1000).toFixed(1)} s`);
  const after = await counters(ctx);
  const rows = (after.rowsWritten - before.rowsWritten) / BIG_CONVERSATION;
  const indexRows = (after.searchRowsWritten - before.searchRowsWritten) / BIG_CONVERSATION;
  results.add("search: storage rows written per message stored (all objects)", "rows", rows, NaN);
  results.add("search: of those, the search index's rows per message", "rows", indexRows, NaN);

  const one = await measureQueries(ctx, bigReaders, bigGroup, "10,000-message conversation");
  for (const [kind, figures] of Object.entries(one)) {
    results.add(`search 10,000-message conversation, ${kind} p50`, "ms", figures.p50, NaN);
    results.add(`search 10,000-message conversation, ${kind} p99`, "ms", figures.p99, NaN);
  }

  // The second readers' 50 conversations: 50 groups of them all.
  const groups = [];
  const making = step(
    `${CONVERSATIONS} conversations × ${PER_CONVERSATION} messages`,
    CONVERSATIONS,
  );
  await inParallel(CONVERSATIONS, 2, async (i) => {
    // Owners take turns: a user creates at most 50 groups a day.
    const name = `search ${i} ${randomUUID().slice(0, 6)}`;
    const turn = i % manyReaders.length;
    const members = [...manyReaders.slice(turn), ...manyReaders.slice(0, turn)];
    const groupId = await createGroup(ctx.api, members, name);
    await store(ctx, groupId, members[0].id, PER_CONVERSATION, i * PER_CONVERSATION);
    groups.push(groupId);
    making.tick();
  });
  making.done();
  const all = await measureQueries(ctx, manyReaders, undefined, "50 conversations");
  for (const [kind, figures] of Object.entries(all)) {
    results.add(`search 50 conversations, ${kind} p50`, "ms", figures.p50, NaN);
    results.add(`search 50 conversations, ${kind} p99`, "ms", figures.p99, NaN);
    results.add(
      `search 50 conversations, ${kind}: fewest searched`,
      "conversations",
      figures.searched,
      NaN,
    );
  }
}
