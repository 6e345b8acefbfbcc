/**
 * The attacks bench/attacks/run.mjs tries, one entry per finding of issue 24 (2–6). Each prints
 * counts only: what the server did, not a verdict; docs/limits.md says what §15 allows.
 */
import { randomUUID } from "node:crypto";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Error frames by code, acks as "ack". */
function tally(frames) {
  const counts = {};
  for (const frame of frames) {
    const key = frame.frameType === 2 ? "ack" : frame.frameType === 9 ? frame.data.code : "push";
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return JSON.stringify(counts);
}

/** Another user's GET latency with nothing going on, then while `during()` runs. */
async function latencyAround(tools, during) {
  const reader = await tools.register("reader");
  let stop = false;
  const idle = tools.readLoop(reader.token, () => stop);
  await sleep(1500);
  stop = true;
  const idleLatencies = await idle;
  stop = false;
  const busy = tools.readLoop(reader.token, () => stop);
  const result = await during();
  stop = true;
  console.log(`  other user's GET idle:   ${tools.summary(idleLatencies)}`);
  console.log(`  other user's GET during: ${tools.summary(await busy)}`);
  return result;
}

export const ATTACKS = {
  flood: {
    what: '3,000 frames {"frameType":0,"id":"x","method":"no.such"} at once on one socket',
    async run(tools) {
      const attacker = await tools.register("flooder");
      const socket = await tools.openSocket(attacker.token);
      const frame = '{"frameType":0,"id":"x","method":"no.such"}';
      await latencyAround(tools, async () => {
        const started = performance.now();
        for (let i = 0; i < 3000; i += 1) socket.ws.send(frame);
        const close = await Promise.race([socket.closed, sleep(15_000)]);
        console.log(
          `  close: ${JSON.stringify(close)} after ${(performance.now() - started).toFixed(0)} ms`,
        );
        await sleep(1500);
      });
      console.log(`  answers received: ${socket.frames.length} ${tally(socket.frames)}`);
      console.log(
        `  answered (not refused, code 100002): ${
          socket.frames.filter((f) => f.data?.code === 100002).length
        }`,
      );
    },
  },
  steady: {
    what: "a steady 30 frames/s (1.5× the limit) for 8 s",
    async run(tools) {
      const attacker = await tools.register("steady");
      const socket = await tools.openSocket(attacker.token);
      const started = performance.now();
      let sent = 0;
      while (performance.now() - started < 8000 && !socket.close) {
        socket.ws.send(JSON.stringify({ frameType: 0, id: `s${sent}`, method: "no.such" }));
        sent += 1;
        await sleep(1000 / 30);
      }
      await sleep(300);
      console.log(
        `  sent ${sent}; close: ${JSON.stringify(socket.close ?? "still open")} after ${
          (performance.now() - started).toFixed(0)
        } ms`,
      );
      console.log(`  answers: ${tally(socket.frames)}`);
      socket.ws.close();
    },
  },
  big: {
    what: "4 MiB frames (the id first) on 4 sockets, 3 each, while another user reads",
    async run(tools) {
      const attacker = await tools.register("bigframes");
      const sockets = await Promise.all([1, 2, 3, 4].map(() => tools.openSocket(attacker.token)));
      const padding = "a".repeat(4 * 1024 * 1024);
      const timings = [];
      await latencyAround(tools, async () => {
        for (let round = 0; round < 3; round += 1) {
          await Promise.all(sockets.map(async (socket, i) => {
            const id = `big-${round}-${i}`;
            const started = performance.now();
            socket.ws.send(`{"frameType":0,"id":"${id}","method":"no.such","data":"${padding}"}`);
            while (!socket.frames.some((f) => f.id === id) && !socket.close) await sleep(5);
            timings.push(performance.now() - started);
          }));
        }
      });
      const answers = sockets.flatMap((s) => s.frames);
      console.log(
        `  answers: ${tally(answers)}; with the id echoed: ${
          answers.filter((f) => f.id?.startsWith("big-")).length
        }`,
      );
      console.log(`  time to each answer (ms): ${timings.map((t) => t.toFixed(0)).join(" ")}`);
      console.log(`  closes: ${JSON.stringify(sockets.map((s) => s.close?.code ?? "open"))}`);
      for (const s of sockets) s.ws.close();
    },
  },
  sync: {
    what: "conversation.sync naming 50 groups per frame, 4 sockets for 8 s (+ one 100-name frame)",
    async run(tools) {
      const attacker = await tools.register("syncer");
      const groups = [];
      for (let i = 0; i < 50; i += 1) {
        const made = await tools.call("POST", "/v1/social/group", {
          token: attacker.token,
          body: { name: `g${i}` },
        });
        if (made.status !== 200) break;
        groups.push(made.body.data.id ?? made.body.data.group?.id ?? made.body.data.groupId);
      }
      const conversations = Object.fromEntries(groups.map((id) => [id, 0]));
      const sockets = await Promise.all([1, 2, 3, 4].map(() => tools.openSocket(attacker.token)));
      const wide = Object.fromEntries(
        Array.from(
          { length: 100 },
          (
            _,
            i,
          ) => [
            i < groups.length
              ? groups[i]
              : [attacker.id, randomUUID().replaceAll("-", "")].sort().join("_"),
            0,
          ],
        ),
      );
      sockets[0].ws.send(
        JSON.stringify({
          frameType: 0,
          id: "wide",
          method: "conversation.sync",
          data: { conversations: wide },
        }),
      );
      await latencyAround(tools, async () => {
        const started = performance.now();
        await Promise.all(sockets.map(async (socket, s) => {
          let n = 0;
          while (performance.now() - started < 8000 && !socket.close) {
            const id = `sync-${s}-${n++}`;
            socket.ws.send(
              JSON.stringify({
                frameType: 0,
                id,
                method: "conversation.sync",
                data: { conversations },
              }),
            );
            while (!socket.frames.some((f) => f.id === id) && !socket.close) await sleep(2);
            // Within the frame rate: the frame limit is not what this measures.
            await sleep(60);
          }
        }));
      });
      const answers = sockets.flatMap((s) => s.frames.filter((f) => f.id?.startsWith("sync-")));
      const acked = answers.filter((f) => f.frameType === 2).length;
      console.log(`  groups named per frame: ${groups.length}; frames answered: ${tally(answers)}`);
      console.log(`  conversations synced (acked frames × names): ${acked * groups.length}`);
      const wideAnswer = sockets[0].frames.find((f) => f.id === "wide");
      console.log(
        `  the 100-name frame: ${JSON.stringify(wideAnswer?.data ?? "no answer").slice(0, 160)}`,
      );
      for (const s of sockets) s.ws.close();
    },
  },
  reads: {
    what: "1,000 GET /v1/user/user by one user, 10 at a time",
    async run(tools) {
      const attacker = await tools.register("reader-attacker");
      const counts = {};
      let retryAfter;
      await latencyAround(tools, async () => {
        for (let i = 0; i < 100; i += 1) {
          const answers = await Promise.all(
            Array.from(
              { length: 10 },
              () => tools.call("GET", "/v1/user/user", { token: attacker.token }),
            ),
          );
          for (const a of answers) {
            counts[a.status] = (counts[a.status] ?? 0) + 1;
            if (a.status === 429) retryAfter ??= a.headers.get("Retry-After");
          }
        }
      });
      console.log(`  statuses: ${JSON.stringify(counts)}; first Retry-After: ${retryAfter}`);
    },
  },
  upgrades: {
    what: "300 socket upgrades by one user in a row",
    async run(tools) {
      const attacker = await tools.register("reconnecter");
      const counts = {};
      const started = performance.now();
      for (let i = 0; i < 300; i += 1) {
        try {
          const socket = await tools.openSocket(attacker.token);
          counts[101] = (counts[101] ?? 0) + 1;
          socket.ws.close();
        } catch (error) {
          const status = /refused: (\d+)/.exec(String(error))?.[1] ?? "error";
          counts[status] = (counts[status] ?? 0) + 1;
        }
      }
      console.log(
        `  upgrades: ${JSON.stringify(counts)} in ${(performance.now() - started).toFixed(0)} ms`,
      );
    },
  },
  logins: {
    what: "5 wrong passwords for a victim's phone from IP A, then the owner from IP B",
    async run(tools) {
      const victim = await tools.register("victim");
      const wrong = [];
      for (let i = 0; i < 5; i += 1) {
        const answer = await tools.call("POST", "/v1/user/login", {
          ip: "10.66.0.1",
          body: { phone: victim.phone, password: "wrong-password" },
        });
        wrong.push(answer.status);
      }
      const owner = await tools.call("POST", "/v1/user/login", {
        ip: "10.66.0.2",
        body: { phone: victim.phone, password: victim.password },
      });
      const sixth = await tools.call("POST", "/v1/user/login", {
        ip: "10.66.0.1",
        body: { phone: victim.phone, password: "wrong-password" },
      });
      console.log(
        `  stranger's tries from A: ${
          wrong.join(" ")
        }; owner from B: ${owner.status}; stranger's 6th from A: ${sixth.status}`,
      );
    },
  },
};
