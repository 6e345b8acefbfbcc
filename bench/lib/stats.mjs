/**
 * Latency recording: an HDR histogram in microseconds (3 significant digits), read back in ms.
 * HDR keeps the tail exact enough for p99 without storing every sample.
 */
import * as hdr from "hdr-histogram-js";

/** A latency histogram; `record` takes milliseconds (fractional is fine). */
export function latencyHistogram() {
  // Up to 10 minutes; anything longer is a hang, and the phase's timeout reports it.
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  return {
    record(ms) {
      histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    },
    get count() {
      return histogram.totalCount;
    },
    /** The value at `percentile` (0–100) in ms. */
    at(percentile) {
      return histogram.totalCount === 0 ? NaN : histogram.getValueAtPercentile(percentile) / 1000;
    },
  };
}

/** Per-second rate of `count` events over `ms`. */
export function perSecond(count, ms) {
  return ms > 0 ? (count * 1000) / ms : NaN;
}
