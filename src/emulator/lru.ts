// A size-bounded LRU map: the emulator keeps recent workflows and blobs, and forgets the oldest
// ones, so a long-running session cannot grow without limit.

export class LruMap<K, V> {
  readonly #map = new Map<K, V>();
  #weight = 0;

  /**
   * @param maxEntries most entries kept
   * @param maxWeight  most total weight kept (e.g. bytes), measured by `weigh`
   * @param onEvict    told about each entry dropped to make room
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number = Infinity,
    private readonly weigh: (value: V) => number = () => 0,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.#map.size;
  }

  get weight(): number {
    return this.#weight;
  }

  /** Reads and marks as recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  /** Reads without touching recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.#map.set(key, value);
    this.#weight += this.weigh(value);
    this.#evict(key);
  }

  delete(key: K): boolean {
    const old = this.#map.get(key);
    if (old === undefined) return false;
    this.#map.delete(key);
    this.#weight -= this.weigh(old);
    return true;
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  #evict(keep: K): void {
    for (const [key, value] of this.#map) {
      if (this.#map.size <= this.maxEntries && this.#weight <= this.maxWeight) return;
      if (key === keep && this.#map.size === 1) return; // never evict the only (just added) entry
      if (key === keep) continue;
      this.#map.delete(key);
      this.#weight -= this.weigh(value);
      this.onEvict?.(key, value);
    }
  }
}
