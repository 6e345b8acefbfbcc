/**
 * The progress display: one status line redrawn in place on a terminal, a line per step
 * otherwise (CI logs), always on stderr so stdout keeps only the final table.
 */
const out = process.stderr;
const REDRAW_MS = 100;

/** Starts a step of `total` units; call `tick()` as units finish and `done()` at the end. */
export function step(label, total = 0) {
  const startedAt = performance.now();
  let finished = 0;
  let lastDrawn = 0;
  const line = () => {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const count = total > 0 ? ` ${finished}/${total}` : "";
    return `  ${label}${count} (${seconds}s)`;
  };
  const draw = (force = false) => {
    if (!out.isTTY) return;
    const now = performance.now();
    if (!force && now - lastDrawn < REDRAW_MS) return;
    lastDrawn = now;
    out.write(`\r\x1b[2K${line()}`);
  };
  if (!out.isTTY) out.write(`${line()} …\n`);
  draw(true);
  return {
    tick(count = 1) {
      finished += count;
      draw();
    },
    /** Ends the step; `note` is a short summary such as "412 req/s". */
    done(note = "") {
      const text = `${line()}${note ? ` — ${note}` : ""}`;
      out.write(out.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}

/** A heading for a group of steps. */
export function heading(text) {
  out.write(`${text}\n`);
}
