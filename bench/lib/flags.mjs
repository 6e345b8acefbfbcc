/**
 * Command-line sizes. The defaults finish in about 5 minutes on a 2-core machine; every figure
 * can be made larger (or smaller while developing) without touching code.
 */
import os from "node:os";
import { parseArgs } from "node:util";

const DEFAULTS = {
  "accounts": 24,
  "logins": 24,
  "bcrypt-concurrency": 4,
  "http-concurrency": 16,
  "http-seconds": 3,
  "reader-friends": 20,
  // Users the reads are spread over: each may read 600 times a minute (bench/phases/reader.mjs).
  "readers": 48,
  "sockets": 1000,
  "connect-concurrency": 50,
  "pairs": 10,
  "messages": 200,
  "group-sizes": "100,500",
  "fanout-messages": 30,
  "fanout-window": 1,
  // The calm phase: groups as size@messages per second, each for this long per system.
  "calm-groups": "500@2,100@5",
  "calm-seconds": 15,
  "timeout-ms": 5000,
  // The upload phase: 5 MiB uploads of each kind (ours, bare); a user may upload 60 an hour.
  "uploads": 12,
  "phases": "accounts,chat,connect,fanout,calm,push,reads,upload,flood",
  // The push phase: messages per group (pushes on, pushes off), and the coalescing window the
  // app runs with (short, so the away members are pushed again and again during the run).
  "push-messages": 200,
  "push-window": 2,
  // Where workerd keeps D1 and Durable Object files; a tmpfs (/dev/shm) takes fsync out.
  "state-dir": os.tmpdir(),
};

const HELP = `Usage: npm run bench -- [--name value …]

${
  Object.entries(DEFAULTS).map(([name, value]) => `  --${name.padEnd(20)} default ${value}`).join(
    "\n",
  )
}

phases: accounts (register, then log in round robin), chat (private chat idle), connect (sockets, memory, chat
with them open), fanout (groups, as fast as they go), calm (groups at a fixed rate, issue 19's
500@2 and 100@5), push (send→ack with Web Push on vs off, 90 of 100 members away), reads (GET routes, against no database and against the D1 floor), upload
(a 5 MiB file through POST /v1/media against a bare Worker piping it into R2), search
(the search index's rows per message; search p50/p99 over a 10,000-message conversation and
over 50 conversations; not in the default list: run it with --phases search), flood (3,000 frames
on one socket while another user reads: their p99 during ÷ without).
Results go to bench/results/.`;

function camel(name) {
  return name.replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
}

/** Parses argv into `{accounts, httpConcurrency, …, groupSizes: number[], phases: Set}`. */
export function readFlags(argv = process.argv.slice(2)) {
  const options = Object.fromEntries(
    Object.keys(DEFAULTS).map((name) => [name, { type: "string" }]),
  );
  options.help = { type: "boolean", short: "h" };
  const { values } = parseArgs({ args: argv, options, strict: true });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const flags = {};
  for (const [name, fallback] of Object.entries(DEFAULTS)) {
    const raw = values[name] ?? String(fallback);
    if (typeof fallback === "number") {
      const number = Number(raw);
      if (!Number.isFinite(number) || number <= 0) {
        throw new Error(`--${name} must be a positive number`);
      }
      flags[camel(name)] = number;
    } else {
      flags[camel(name)] = raw;
    }
  }
  flags.groupSizes = flags.groupSizes.split(",").filter(Boolean).map(Number);
  flags.phases = new Set(flags.phases.split(",").filter(Boolean));
  flags.calmGroups = flags.calmGroups.split(",").filter(Boolean).map((entry) => {
    const [size, rate] = entry.split("@").map(Number);
    if (!(size >= 2 && rate > 0)) throw new Error(`--calm-groups: "${entry}" is not size@rate`);
    return { size, rate };
  });
  return flags;
}
