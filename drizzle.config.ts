import { defineConfig } from "drizzle-kit";

// One schema, one migrations folder: `wrangler d1 migrations apply` reads the flat NNNN_name.sql
// files and the libSQL migrator reads the same folder (plus meta/_journal.json).
export default defineConfig({
  dialect: "sqlite",
  schema: "./shared/db/schema.ts",
  out: "./migrations",
});
