// Remaining-time estimate for a job from its step rate since the first reported step.
export class EtaEstimator {
  #firstStep: number | null = null;
  #firstAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds left, or null while there is not enough history to say. */
  update(step: number, total: number): number | null {
    const now = this.now();
    if (this.#firstStep === null || step < this.#firstStep) {
      this.#firstStep = step;
      this.#firstAt = now;
      return null;
    }
    const done = step - this.#firstStep;
    const elapsed = (now - this.#firstAt) / 1000;
    if (done <= 0 || elapsed <= 0) return null;
    return Math.max(0, ((total - step) * elapsed) / done);
  }
}
