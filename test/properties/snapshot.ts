/**
 * Everything a refused request could change, read whole so that an UPDATE shows as well as an
 * INSERT: every D1 row, every table row of every Durable Object, and what each user of the world
 * sees through the API. Only the limit windows are left out: refused requests count against a
 * user's limits by design (the slot is taken before validation).
 */
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { api } from "../helpers/http.ts";
import { READ_LEASES_KEY } from "../../workers/user-session/read-leases.ts";
import type { World } from "./world.ts";

/** Object tables whose rows change on every request, refused ones too. */
const LIMIT_TABLES = ["rate_events", "rate_batches"];

type Rows = Record<string, unknown>[];

/** Rows in one order whatever the table's keys (some tables are WITHOUT ROWID). */
function sorted(rows: Rows): Rows {
  const keyed = rows.map((row) => [JSON.stringify(row), row] as const);
  return keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Every row of every D1 table. */
async function databaseRows(): Promise<Record<string, Rows>> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
      "AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY name",
  ).all<{ name: string }>();
  const rows: Record<string, Rows> = {};
  for (const { name } of tables.results) {
    rows[name] = sorted((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
  }
  return rows;
}

/**
 * Every row of every table of every object of `namespace` that holds any, by object id. The
 * runtime lists every object it ever woke, also one that answered a refusal and wrote nothing;
 * what must not change is storage, so an object without tables is not listed.
 */
async function objectRows(namespace: DurableObjectNamespace) {
  const ids = await listDurableObjectIds(namespace);
  const read = await Promise.all(
    ids.map((id) =>
      runInDurableObject(namespace.get(id), (instance: object, state: DurableObjectState) => {
        saveDeferredWrites(instance);
        const sql = state.storage.sql;
        const names = sql.exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' " +
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name",
        ).toArray().map((row) => row.name);
        const found: Record<string, Rows> = {};
        for (const name of names) {
          if (!LIMIT_TABLES.includes(name)) {
            found[name] = sorted(sql.exec(`SELECT * FROM "${name}"`).toArray());
          }
        }
        return { id: id.toString(), found, count: names.length };
      })
    ),
  );
  const objects: Record<string, Record<string, Rows>> = {};
  for (const { id, found, count } of read.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (count > 0) objects[id] = found;
  }
  return objects;
}

/**
 * Runs the saves an object has deferred (its DeferredSave timers: delivery watermarks, list
 * rows), so the snapshot reads what the object holds, not what its timer has yet to write: the
 * world is otherwise still settling for seconds after it is built, and a change a refused request
 * made in memory would hide until its timer fired.
 */
function saveDeferredWrites(root: object): void {
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number) => {
    if (typeof value !== "object" || value === null || seen.has(value) || depth > 4) return;
    seen.add(value);
    // Found by shape: the object's module instance is not necessarily the test's.
    if (value.constructor?.name === "DeferredSave") {
      const deferred = value as unknown as { timer: unknown; now(): void };
      if (deferred.timer !== null) deferred.now();
      return;
    }
    if (value instanceof Map || value instanceof Set) {
      for (const item of value.values()) visit(item, depth + 1);
      return;
    }
    for (const item of Object.values(value)) visit(item, depth + 1);
  };
  visit(root, 0);
}

/** Empties the limit windows of the world's users, so that a route's cases meet no limit. */
export async function resetLimits(w: World): Promise<void> {
  for (const user of [w.alice, w.bob, w.carol, w.dave]) {
    await runInDurableObject(
      env.USER_SESSION.getByName(user.id) as unknown as DurableObjectStub,
      (_instance: unknown, state: DurableObjectState) => {
        for (const table of LIMIT_TABLES) {
          const exists = state.storage.sql.exec(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            table,
          ).toArray().length > 0;
          if (exists) state.storage.sql.exec(`DELETE FROM "${table}"`);
        }
        // The read budget's leases (a storage key, not a table).
        return state.storage.delete(READ_LEASES_KEY);
      },
    );
  }
}

const MAX = "limit=200";

/** What `user` sees of their own account, friends, requests, groups, blocks and conversations. */
async function viewsOf(token: string) {
  const paths = [
    "/v1/user/user",
    `/v1/social/friends?${MAX}`,
    `/v1/social/friend/putIns?direction=received&${MAX}`,
    `/v1/social/friend/putIns?direction=sent&${MAX}`,
    `/v1/social/groups?${MAX}`,
    `/v1/social/blocks?${MAX}`,
    "/v1/im/conversation",
  ];
  return await answersTo(token, paths);
}

/** What the group's creator sees of its members (roles, mutes) and requests, and the chats. */
function sharedViews(w: World) {
  return answersTo(w.alice.token, [
    `/v1/social/group/users?groupId=${w.groupId}&${MAX}`,
    `/v1/social/group/putIns?groupId=${w.groupId}&${MAX}`,
    `/v1/im/chatlog?conversationId=${w.conversationId}&afterSeq=0&count=100`,
    `/v1/im/chatlog?conversationId=${w.groupId}&afterSeq=0&count=100`,
    `/v1/im/chatlog/changes?conversationId=${w.conversationId}&afterChangeSeq=0&count=100`,
  ]);
}

async function answersTo(token: string, paths: string[]) {
  const answers = await Promise.all(paths.map((path) => api("GET", path, { token })));
  return Object.fromEntries(paths.map((path, i) => [path, answers[i]!.body]));
}

/** Everything stored that the properties promise not to change. */
export async function snapshot(w: World) {
  const users = [w.alice, w.bob, w.carol, w.dave];
  const [database, userSessions, conversations, views, shared, media] = await Promise.all([
    databaseRows(),
    objectRows(env.USER_SESSION as unknown as DurableObjectNamespace),
    objectRows(env.CONVERSATION as unknown as DurableObjectNamespace),
    Promise.all(users.map((user) => viewsOf(user.token))),
    sharedViews(w),
    // The media bucket's keys: a refused upload stores no bytes.
    env.MEDIA.list().then(({ objects }) => objects.map((object) => object.key).sort()),
  ]);
  return { database, userSessions, conversations, views, shared, media };
}
