/** A sliding window per user: at most `uses` questions in any `perSeconds` seconds. */
export class Cooldown {
  private readonly recent = new Map<string, number[]>()

  constructor(
    private readonly uses: number,
    private readonly perSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a use and returns 0, or returns the whole seconds to wait without recording anything. */
  take(userId: string): number {
    const now = this.now()
    const windowStart = now - this.perSeconds * 1000
    const times = (this.recent.get(userId) ?? []).filter((t) => t > windowStart)
    if (times.length >= this.uses) {
      this.recent.set(userId, times)
      return Math.max(1, Math.ceil((times[0]! - windowStart) / 1000))
    }
    times.push(now)
    this.recent.set(userId, times)
    // Forget idle users now and then, so the map does not grow with every user ever seen.
    if (this.recent.size > 10_000) for (const [id, t] of this.recent) if (t.every((x) => x <= windowStart)) this.recent.delete(id)
    return 0
  }
}
