// A small seeded random number generator (mulberry32), so that a soak run's choices can be
// repeated with --seed. Pure.

/**
 * A generator of numbers in [0, 1) from a 32-bit seed, with helpers for integers, picks and
 * weighted choices.
 * @param {number} seed
 */
export function createRng(seed) {
  let state = seed >>> 0;
  /** The next number in [0, 1). */
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [min, max], both included. @param {number} min @param {number} max */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** One element of a non-empty list. @template T @param {T[]} list @returns {T} */
    pick: (list) => {
      if (list.length === 0) throw new Error('pick from an empty list');
      return list[Math.floor(next() * list.length)];
    },
    /** True with probability p. @param {number} p */
    chance: (p) => next() < p,
    /**
     * One key of `weights`, each with a chance proportional to its weight (weights of 0 are never chosen).
     * @template {string} K @param {Record<K, number>} weights @returns {K}
     */
    weighted: (weights) => {
      const entries = Object.entries(weights).filter(([, w]) => w > 0);
      if (entries.length === 0) throw new Error('no choice has a weight above 0');
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let x = next() * total;
      for (const [key, w] of entries) {
        if (x < w) return /** @type {K} */ (key);
        x -= w;
      }
      return /** @type {K} */ (entries[entries.length - 1][0]);
    },
  };
}
