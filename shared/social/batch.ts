/**
 * `db.batch([...])` for the shared `Db` type. Both drivers have it (D1 runs a batch as one
 * transaction, drizzle's libSQL batch is one too), but the common base class does not declare it.
 * `db.transaction()` does not work on D1, so every atomic multi-row write goes through here.
 */
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { Db } from "../db/client.ts";

interface BatchingDb {
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(
    statements: T,
  ): Promise<BatchResponse<T>>;
}

/** Runs `statements` atomically, in order, and returns each one's result. */
export async function runBatch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(
  db: Db,
  statements: T,
): Promise<BatchResponse<T>> {
  return await (db as unknown as BatchingDb).batch(statements);
}
