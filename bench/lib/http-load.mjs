/**
 * A closed-loop HTTP load generator: `concurrency` workers, each sending its next request as soon
 * as the previous answer is read, over keep-alive connections (node:http, which costs the client
 * less CPU per request than fetch — the client must not be what is measured).
 */
import http from "node:http";
import { latencyHistogram, perSecond } from "./stats.mjs";

/** Sends one request and resolves with `{status, body}` (body parsed as JSON when it is). */
export function sendRequest(agent, url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(url, {
      agent,
      method,
      headers: payload === undefined ? headers : {
        ...headers,
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(payload),
      },
    }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: keep the text for the error message.
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
      response.on("error", reject);
    });
    request.on("error", (error) => reject(new Error(`${method} ${url}: ${error.message}`)));
    request.end(payload);
  });
}

/** A keep-alive agent sized for `concurrency` connections. */
export function keepAliveAgent(concurrency) {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

/**
 * Runs `makeRequest(i)` → `{url, method?, headers?, body?}` in a closed loop until `count`
 * requests (if given) or `durationMs` have passed. Any non-2xx answer stops the run: a benchmark
 * of error pages would be a lie.
 */
export async function closedLoop({ makeRequest, concurrency, durationMs, count, onDone }) {
  const agent = keepAliveAgent(concurrency);
  const histogram = latencyHistogram();
  const startedAt = performance.now();
  let issued = 0;
  let completed = 0;
  const more = () =>
    count !== undefined ? issued < count : performance.now() - startedAt < durationMs;
  async function worker() {
    while (more()) {
      const index = issued++;
      const { url, ...init } = makeRequest(index);
      const sentAt = performance.now();
      const answer = await sendRequest(agent, url, init);
      if (answer.status < 200 || answer.status > 299) {
        throw new Error(
          `${init.method ?? "GET"} ${url} → ${answer.status} ${
            JSON.stringify(answer.body).slice(0, 300)
          }`,
        );
      }
      histogram.record(performance.now() - sentAt);
      completed++;
      onDone?.(answer, index);
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - startedAt;
  return {
    completed,
    elapsedMs,
    perSecond: perSecond(completed, elapsedMs),
    p50: histogram.at(50),
    p99: histogram.at(99),
  };
}
