type Scored = { item: number; score: number }

/** Whether an item with this score ranks above a kept one: a higher score, or the same score and an earlier item. */
function beats(item: number, score: number, kept: Scored): boolean {
  return score > kept.score || (score === kept.score && item < kept.item)
}

/**
 * The `limit` best of the items offered, kept in a min-heap (the weakest on top): the highest scores, and of
 * equal scores the lowest items, whatever order they are offered in (Orama's order for its results). Only kept
 * items cost an allocation: most offers are turned away.
 */
class BoundedBest {
  private readonly heap: Scored[] = []

  constructor(private readonly limit: number) {}

  offer(item: number, score: number): void {
    const heap = this.heap
    if (heap.length < this.limit) {
      heap.push({ item, score })
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1
        if (!beats(heap[parent]!.item, heap[parent]!.score, heap[i]!)) break
        ;[heap[parent], heap[i]] = [heap[i]!, heap[parent]!]
        i = parent
      }
    } else if (this.limit > 0 && beats(item, score, heap[0]!)) {
      heap[0] = { item, score }
      for (let i = 0; ; ) {
        const left = 2 * i + 1
        const right = left + 1
        let weakest = i
        if (left < heap.length && beats(heap[weakest]!.item, heap[weakest]!.score, heap[left]!)) weakest = left
        if (right < heap.length && beats(heap[weakest]!.item, heap[weakest]!.score, heap[right]!)) weakest = right
        if (weakest === i) break
        ;[heap[weakest], heap[i]] = [heap[i]!, heap[weakest]!]
        i = weakest
      }
    }
  }

  /**
   * The score an offer needs to have a chance (equal scores may still win on the item): callers check it first,
   * since a call with a fractional score boxes it, and most offers are turned away.
   */
  get threshold(): number {
    return this.heap.length < this.limit ? -Infinity : this.heap[0]!.score
  }

  /** Best first. */
  sorted(): Scored[] {
    return [...this.heap].sort((a, b) => b.score - a.score || a.item - b.item)
  }
}

/**
 * Scores summed per item (0 … size − 1) during one search, in arrays reused by every search (they run one at a
 * time), so a search allocates nothing per item. `best` hands out the best items per group and clears the table.
 */
export class ScoreTable {
  private readonly scores: Float64Array
  private readonly scored: Uint32Array
  private scoredCount = 0

  constructor(size: number) {
    this.scores = new Float64Array(size)
    this.scored = new Uint32Array(size)
  }

  /** Whether any item has a score yet. */
  get empty(): boolean {
    return this.scoredCount === 0
  }

  add(item: number, amount: number): void {
    if (this.scores[item] === 0) this.scored[this.scoredCount++] = item
    this.scores[item]! += amount
  }

  /**
   * The `limit` best items of each group, best first; `groupOf` gives an item's group, below `groups`, or -1 to
   * leave it out. A score is checked against the weakest kept before it is offered: most are turned away, and a
   * call with a fractional score boxes it.
   */
  best(limit: number, groups = 1, groupOf: (item: number) => number = () => 0): Scored[][] {
    const best = Array.from({ length: groups }, () => new BoundedBest(limit))
    const thresholds = new Float64Array(groups).fill(-Infinity)
    for (let i = 0; i < this.scoredCount; i++) {
      const item = this.scored[i]!
      const score = this.scores[item]!
      const group = groupOf(item)
      if (group >= 0 && score >= thresholds[group]!) {
        best[group]!.offer(item, score)
        thresholds[group] = best[group]!.threshold
      }
      this.scores[item] = 0
    }
    this.scoredCount = 0
    return best.map((b) => b.sorted())
  }
}
