/**
 * Simulated time for the fault tests: real time plus an offset that jumps forward over the
 * idle waits (Lambda's one- and two-minute retry delays, MediaConvert's token window), so a
 * test covers minutes of service behaviour in milliseconds while work still takes real time.
 */
export class SimulatedClock {
  private offset: number;

  /** @param start the simulated time now, in epoch milliseconds. @default - the real time */
  constructor(start: number = Date.now()) {
    this.offset = start - Date.now();
  }

  /** The simulated time in epoch milliseconds; pass as `clock` to the MediaConvert stand-in. */
  readonly now = (): number => Date.now() + this.offset;

  /** The milliseconds added to real time: what a worker adds to its own `Date`. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Jumps to `time` when it is in the future; time never runs backwards. */
  advanceTo(time: number): void {
    this.offset += Math.max(0, time - this.now());
  }

  /** Jumps `ms` forward. */
  advanceBy(ms: number): void {
    this.offset += Math.max(0, ms);
  }
}
