// Durations on the command line (`apply --max-duration 5h30m`, `--finish-margin 10m`, `--progress-every 30s`): one
// or more whole numbers each followed by h, m or s, largest unit first, each unit at most once. A bare number is
// refused (seconds or minutes?), and so is anything else, with a message that says the form.

import { InvalidArgumentError } from 'commander';
import { formatDuration } from '../render/progress.js';

export { formatDuration };

const FORM = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Milliseconds of `5h30m`, `90s`, `1h`; undefined when the text is not that form. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  const m = FORM.exec(t);
  if (!m || t === '' || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  const [h, min, s] = [m[1], m[2], m[3]].map((x) => (x === undefined ? 0 : Number(x)));
  const ms = ((h! * 60 + min!) * 60 + s!) * 1000;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** A commander argument parser: a duration of at least `minMs`. */
export function durationArg(minMs: number): (v: string) => number {
  return (v: string) => {
    const ms = parseDuration(v);
    if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 5h30m, 45m or 90s (h, m, s; no bare number)');
    if (ms < minMs) throw new InvalidArgumentError(`expected a duration of at least ${formatDuration(minMs)}`);
    return ms;
  };
}
