// Remaining-time estimate for a job from its step rate since the first reported step of its current phase.
export class EtaEstimator {
  #firstStep: number | null = null;
  #firstAt = 0;
  #total: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Seconds left, or null while there is not enough history to say. A change of `total` starts a new phase (loading
   * a dataset reports 0 of 0, then a resumed run jumps to its checkpoint's step): the rate counts from there, else the
   * jump would read as thousands of steps done in a second.
   */
  update(step: number, total: number): number | null {
    const now = this.now();
    if (this.#firstStep === null || step < this.#firstStep || total !== this.#total) {
      this.#firstStep = step;
      this.#firstAt = now;
      this.#total = total;
      return null;
    }
    const done = step - this.#firstStep;
    const elapsed = (now - this.#firstAt) / 1000;
    if (done <= 0 || elapsed <= 0) return null;
    return Math.max(0, ((total - step) * elapsed) / done);
  }
}
