// CPU profiling of the search loop (node:inspector), and a summary of where the time went.
import { Session } from 'node:inspector/promises'
import path from 'node:path'
import { PROJECT_ROOT } from '../config.js'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  hitCount?: number
  children?: number[]
}

export interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface ProfileEntry {
  fn: string
  where: string
  ms: number
  share: number
}

export interface ProfileSummary {
  totalMs: number
  /** Time spent in the function's own code. */
  self: ProfileEntry[]
  /** Time in the function and everything it called (recursion counted once). */
  inclusive: ProfileEntry[]
  /** Self time per package or source folder (orama, jieba, library, minisearch, node internals, gc…). */
  byArea: { area: string; ms: number; share: number }[]
}

/** Run `work` under the sampling profiler; returns its result and the profile. */
export async function profiled<T>(work: () => T | Promise<T>, intervalMicros = 200): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: intervalMicros })
    await session.post('Profiler.start')
    const result = await work()
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile }
    return { result, profile }
  } finally {
    session.disconnect()
  }
}

function where(frame: CallFrame): string {
  if (!frame.url) return '(native)'
  let url = frame.url.replace(/^file:\/\//, '')
  if (url.startsWith(PROJECT_ROOT)) url = path.relative(PROJECT_ROOT, url)
  return `${url}:${frame.lineNumber + 1}`
}

export function areaOf(frame: CallFrame): string {
  const url = frame.url
  const name = frame.functionName
  if (name === '(garbage collector)') return 'gc'
  if (name === '(program)' || name === '(idle)') return name
  if (!url) return 'native/builtin'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:')) return 'node internals'
  const src = /\/(src\/[^/]+)\//.exec(url)
  return src ? src[1]! : url
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parentOf = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id)
  // The profiler's own work (stopping and serialising the profile inside inspector `post`) and idle time are
  // not the workload: samples under them are left out.
  const overhead = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const f = byId.get(at)!.callFrame
      if (f.url === 'node:inspector' || f.functionName === '(idle)' || f.functionName === '(program)') return true
    }
    return false
  }
  const selfMicros = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  const skip = new Map<number, boolean>()
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!
    if (!skip.has(id)) skip.set(id, overhead(id))
    if (skip.get(id)) continue
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (deltas[i] ?? 0))
  }
  const total = [...selfMicros.values()].reduce((s, x) => s + x, 0) || 1

  const key = (f: CallFrame) => `${f.functionName || '(anonymous)'}\u0000${where(f)}`
  const self = new Map<string, number>()
  const areas = new Map<string, number>()
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame
    self.set(key(frame), (self.get(key(frame)) ?? 0) + micros)
    areas.set(areaOf(frame), (areas.get(areaOf(frame)) ?? 0) + micros)
  }

  // Inclusive time: walk the tree, counting a function once per path even when it recurses.
  const inclusive = new Map<string, number>()
  for (const [id, micros] of selfMicros) {
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const k = key(byId.get(at)!.callFrame)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + micros)
    }
  }
  const entries = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, micros]) => {
        const [fn, loc] = k.split('\u0000')
        return { fn: fn!, where: loc!, ms: Math.round(micros / 1000), share: Math.round((micros / total) * 1000) / 1000 }
      })
  return {
    totalMs: Math.round(total / 1000),
    self: entries(self),
    inclusive: entries(inclusive).filter((e) => !/^\((root|program|idle)\)$/.test(e.fn) && !e.where.startsWith('src/bench/')),
    byArea: [...areas]
      .sort((a, b) => b[1] - a[1])
      .map(([area, micros]) => ({ area, ms: Math.round(micros / 1000), share: Math.round((micros / total) * 1000) / 1000 })),
  }
}
