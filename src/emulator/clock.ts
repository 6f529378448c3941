// The emulator's clock: real time plus an offset that tests move forward (`POST /_emulator/clock/advance`), so an
// invite's 21-day expiry (§6.2) can be reached without waiting. It never goes back. Rate limits do not use it:
// they refill on real monotonic time (see ratelimit.ts).

export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** RFC 3339 (§2.10), e.g. `2026-08-22T10:00:00.000Z`. */
  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the emulator clock only moves forward');
    this.offsetMs += ms;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
