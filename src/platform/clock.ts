/**
 * Time as the application sees it. Production uses the system clock; tests that must
 * move time forward (an embargo that lapses, a scheduled publish) give createServices a
 * ManualClock. Only code that decides "is it time yet?" reads it; timestamps written by
 * the database (now()) are unaffected.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs with real time from an offset the test can move. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Moves this clock to `at` (later readings keep running from there). */
  set(at: Date) {
    this.offsetMs = at.getTime() - Date.now();
  }
  advance(ms: number) {
    this.offsetMs += ms;
  }
}
