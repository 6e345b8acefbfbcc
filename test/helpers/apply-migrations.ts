// Runs before every test file: the same migrations `npm start` and `npm run deploy` apply.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
