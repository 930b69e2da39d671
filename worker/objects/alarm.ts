/**
 * The "arm once" alarm the Rater's outbox and the Arena's refit share: the first event that needs
 * the alarm sets it, and later ones leave it alone (moving it later would only delay the work it
 * does). The object remembers in memory that it is set, so arming again on the hot path costs no
 * storage call; the alarm handler calls `running()` first, so what arrives during the run arms
 * the next one.
 */

/** An alarm set at most once until it runs. */
export class OnceAlarm {
  private armed = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** Sets the alarm `delayMs` from now unless one is set already. */
  async arm(delayMs: number): Promise<void> {
    if (this.armed) return;
    if ((await this.storage.getAlarm()) === null) await this.storage.setAlarm(Date.now() + delayMs);
    this.armed = true;
  }

  /** Called as the alarm handler starts: from here on, new work needs a new alarm. */
  running(): void {
    this.armed = false;
  }
}

/** A duration var in milliseconds, or `fallback` when it is unset or not a number ≥ 0. */
export function durationVar(value: string | undefined, fallback: number): number {
  const ms = Number(value ?? fallback);
  return Number.isFinite(ms) && ms >= 0 ? ms : fallback;
}
