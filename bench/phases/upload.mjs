/**
 * Media uploads: a 5 MiB file through `POST /v1/media` (token, budgets, the conversation's
 * consent, type and size checks, SHA-256, the record) against the bench app's bare route that
 * pipes the same body into the same R2 bucket and nothing else. Ours and bare alternate upload
 * by upload, so drift on a shared machine hits both.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { step } from "../lib/progress.mjs";
import { apiClient, befriend, seedUsers } from "../lib/seed.mjs";
import { latencyHistogram } from "../lib/stats.mjs";

const MIB = 1024 * 1024;
export const UPLOAD_MIB = 5;

/** POSTs `body` and resolves with the status once the answer is read. */
function postBytes(agent, url, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      agent,
      method: "POST",
      headers: { ...headers, "Content-Length": body.length },
    }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Times `uploads` uploads of each kind; records MiB/s and latency, ours against bare. */
export async function measureUpload(ctx) {
  const { flags, results } = ctx;
  const [alice, bob] = await seedUsers(ctx.app, 2, "uploader");
  const api = apiClient(ctx.app);
  await befriend(api, alice, bob);
  api.close();
  const conversationId = [alice.id, bob.id].sort().join("_");
  const body = randomBytes(UPLOAD_MIB * MIB);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ours = new URL(`/v1/media?conversationId=${conversationId}&kind=file`, ctx.app.url);
  const bare = new URL("/__bench/upload", ctx.app.url);
  const oursHeaders = {
    Authorization: `Bearer ${alice.token}`,
    "Content-Type": "application/octet-stream",
    "X-File-Name": "bench.bin",
  };
  const timed = { ours: latencyHistogram(), bare: latencyHistogram() };
  const totalMs = { ours: 0, bare: 0 };
  const progress = step("upload", flags.uploads * 2);
  await ctx.profiler.measure("upload", async () => {
    for (let i = 0; i < flags.uploads; i++) {
      const order = i % 2 === 0 ? ["ours", "bare"] : ["bare", "ours"];
      for (const which of order) {
        const startedAt = performance.now();
        const status = which === "ours"
          ? await postBytes(agent, ours, oursHeaders, body)
          : await postBytes(agent, bare, { "Content-Type": "application/octet-stream" }, body);
        const ms = performance.now() - startedAt;
        if (status !== 200) throw new Error(`upload (${which}) answered ${status}`);
        timed[which].record(ms);
        totalMs[which] += ms;
        progress.tick();
      }
    }
  });
  agent.destroy();
  const figures = (which) => ({
    perSecond: (flags.uploads * UPLOAD_MIB) / (totalMs[which] / 1000),
    p50: timed[which].at(50),
    p99: timed[which].at(99),
  });
  const oursFigures = figures("ours");
  const bareFigures = figures("bare");
  progress.done(
    `ours ${oursFigures.perSecond.toFixed(0)} MiB/s, bare ${
      bareFigures.perSecond.toFixed(0)
    } MiB/s`,
  );
  results.addLoad(`upload ${UPLOAD_MIB} MiB`, "MiB/s", oursFigures, bareFigures, "request");
}
