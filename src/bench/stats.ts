// Timing and memory helpers for the benchmark: percentiles, a memory sampler, a seeded random source.

export interface LatencySummary {
  count: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  meanMs: number
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((s, x) => s + x, 0)
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    meanMs: round(sorted.length > 0 ? sum / sorted.length : Number.NaN),
  }
}

/** Three significant decimals for milliseconds, whole numbers above 100. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x
  if (Math.abs(x) >= 100) return Math.round(x)
  return Math.round(x * 1000) / 1000
}

export const MB = 1024 * 1024

/**
 * Peak RSS and heap. RSS peak comes from the kernel (`maxRSS`, exact); heap peak from samples taken by a timer
 * (which only fires when the event loop is free) and by explicit `sample()` calls inside long synchronous loops.
 */
export class MemorySampler {
  private peakHeap = 0
  private peakRssSampled = 0
  private timer: NodeJS.Timeout | undefined

  start(intervalMs = 25): this {
    this.sample()
    this.timer = setInterval(() => this.sample(), intervalMs)
    this.timer.unref()
    return this
  }

  sample(): void {
    const m = process.memoryUsage()
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed
    if (m.rss > this.peakRssSampled) this.peakRssSampled = m.rss
  }

  stop(): { peakRssMb: number; peakHeapMb: number } {
    this.sample()
    if (this.timer) clearInterval(this.timer)
    return { peakRssMb: round(peakRssBytes() / MB), peakHeapMb: round(this.peakHeap / MB) }
  }
}

/** The process's peak resident set size so far, in bytes (getrusage ru_maxrss). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024
}

/** Heap in use after a full collection, when the process runs with --expose-gc; otherwise as it stands. */
export function retainedHeapMb(): number {
  collectGarbage()
  return round(process.memoryUsage().heapUsed / MB)
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) {
    gc()
    gc()
  }
}

/** mulberry32: small, fast, seeded; the synthetic corpus must be the same in every worker process. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}
