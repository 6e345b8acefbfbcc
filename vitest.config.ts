/**
 * Two test projects, one `vitest run`:
 * - "workers": everything inside workerd through the Cloudflare pool — the real Worker, real D1,
 *   real Durable Objects (storage isolated per test file).
 * - "libsql": the same database query cases on Node against a real libSQL database file.
 * - "node": checks that run on Node, e.g. that the SDK's generated API types are up to date.
 * - "browser": the web app and the SDK in Debian's Chromium (playwright-core) against the real
 *   service, started per file by scripts/start.mjs (what `npm start` runs) on a free port.
 * - "package": the SDK's packed tarball installed into a fresh app, its scripts run by Node and
 *   Deno against that same real service.
 */
import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

/** A VAPID key pair for this run (base64url: the 65-byte public point, the private scalar). */
function vapidKeys(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = privateKey.export({ format: "jwk" });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, "base64url"),
    Buffer.from(jwk.y!, "base64url"),
  ]);
  return { publicKey: point.toString("base64url"), privateKey: jwk.d! };
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  const vapid = vapidKeys();
  return {
    test: {
      // Every request writes a JSON log line: show a test's console only when the test fails.
      silent: "passed-only" as const,
      projects: [
        {
          plugins: [
            cloudflareTest({
              main: "./workers/api/index.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  // Tests never read .dev.vars: a fixed 32+ byte secret keeps them reproducible.
                  JWT_SECRET: "test-secret-0123456789abcdef0123456789abcdef",
                  LIBSQL_URL: "",
                  LIBSQL_AUTH_TOKEN: "",
                  // Pushes go to the tests' receiver on 127.0.0.1 (test/push/receiver.ts), with
                  // a short coalescing window so a test need not wait 30 s.
                  VAPID_PUBLIC_KEY: vapid.publicKey,
                  VAPID_PRIVATE_KEY: vapid.privateKey,
                  VAPID_SUBJECT: "mailto:push-tests@easy-chat.test",
                  PUSH_ALLOW_LOOPBACK: "true",
                  PUSH_COALESCE_SECONDS: "3",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: [
              "test/**/*.libsql.test.ts",
              "test/**/*.node.test.ts",
              "test/**/*.browser.test.ts",
              "test/**/*.package.test.ts",
            ],
            setupFiles: ["./test/helpers/apply-migrations.ts"],
            globalSetup: ["./test/push/receiver-setup.ts"],
          },
        },
        {
          test: {
            name: "libsql",
            environment: "node",
            include: ["test/**/*.libsql.test.ts"],
          },
        },
        {
          test: {
            name: "node",
            environment: "node",
            include: ["test/**/*.node.test.ts"],
          },
        },
        {
          test: {
            name: "browser",
            environment: "node",
            include: ["test/**/*.browser.test.ts"],
            globalSetup: ["./test/browser/build-web.ts"],
            // After the other projects, not beside them: its wrangler dev and Chromium processes
            // would take CPU from the workers tests' timed cases.
            sequence: { groupOrder: 1 },
            // Each file starts the service (`wrangler dev`) and Chromium: seconds, not millis.
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          test: {
            name: "package",
            environment: "node",
            include: ["test/**/*.package.test.ts"],
            // The service serves web/dist (built here too, after the browser files are done); the
            // SDK is packed once for every file.
            globalSetup: ["./test/browser/build-web.ts", "./test/package/pack-sdk.ts"],
            sequence: { groupOrder: 2 },
            testTimeout: 60_000,
            // npm pack + npm install + wrangler dev: tens of seconds.
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
