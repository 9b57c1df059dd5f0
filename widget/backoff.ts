/** Exponential backoff with jitter: 0.5–1 × min(30 s, 0.5 s × 2^n), so clients never retry in step. */
export const backoff = (n: number): number =>
  Math.min(30_000, 500 * 2 ** n) * (0.5 + Math.random() / 2);
