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
export class BoundedBest {
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
