// The benchmark's results: the JSON shape, the readable table and the latency chart (hand-built SVG).
import type { ColdStartFigures } from './cold-start.js'
import type { ProfileSummary } from './profile.js'
import type { LatencySummary } from './stats.js'
import type { SynthStats } from './synth.js'
import type { PersistFigures, WorkerResult } from './worker.js'

/** What every engine reports. */
export interface OtherFigures {
  askP50Ms: number
  askP99Ms: number
  /** Each query's fastest of three passes (null when one pass was too slow to repeat). */
  askSteadyP50Ms: number | null
  askSteadyP99Ms: number | null
  askMaxMs: number
  askMeanMs: number
  buildMs: number
  /** Peak RSS (kernel maxRSS) and sampled peak heap while building and searching. */
  rssMb: number
  heapMb: number
  retainedHeapMb: number
  /** hit@3 on the blind course set (fresh-h) and docs set (docs-h; null without the docs). */
  evalCourseHitAt3: number
  evalDocsHitAt3: number | null
  /** Both sets in full, and for ours the same with its ranking extras off (`plain`). */
  eval: WorkerResult['eval']
  answered: number
  /** Timed queries (fewer than planned when --budget-s cut the loop short). */
  queriesTimed: number
  /** 1-minute load average at the start and end of the measuring process. */
  loadAverage: { start: number; end: number }
  /** The ten slowest timed queries. */
  slowest: { q: string; ms: number }[]
}

/** Ours adds autocomplete, persistence, cold start and profiling. */
export interface OurFigures extends OtherFigures {
  /** null: the library has no `suggest(prefix, limit)` yet. */
  autocompleteP50Ms: number | null
  autocompleteP99Ms: number | null
  /** p99 of each prefix's fastest of 3 passes (see steady search figures). */
  autocompleteSteadyP99Ms: number | null
  /** Distinct titles and headings autocomplete chooses from, and building the suggester over them. */
  autocompleteEntries: number | null
  suggesterBuildMs: number | null
  /** Writing the index file */
  persistMs: number | null
  /** JSON.parse + Library.restore */
  loadMs: number | null
  indexMb: number | null
  /** `node dist/scripts/ask.js --json` (compiled), one question on stdin, until the answer is printed (median of runs). */
  coldStartMs: number | null
  coldStartPeakRssMb: number | null
  ask: LatencySummary
  autocomplete: LatencySummary | null
  persist?: PersistFigures
  coldStart?: ColdStartFigures
  profile?: { file: string; summary: ProfileSummary }
}

export interface SizeResult {
  passages: number
  synth: SynthStats
  ours: OurFigures | null
  minisearch: OtherFigures | null
  flexsearch: OtherFigures | null
  /** Our latency divided by theirs: above 1 means we are slower. */
  ratios: {
    p50VsMinisearch: number | null
    p99VsMinisearch: number | null
    p50VsFlexsearch: number | null
    p99VsFlexsearch: number | null
  }
  /** Wall-clock time each part of this size took. */
  wallMs: Record<string, number>
  errors: string[]
}

export interface BenchResults {
  generatedAt: string
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string }
  corpus: { seedsDir: string; docsDir: string; docsPresent: boolean; seedPassages: number; realPassages: number; note: string }
  queries: { timed: number; warmup: number; fromEval: number; fromHeadings: number; repeated: boolean; examples: string[] }
  /** Every engine returns its top `topK`; the timed queries are split into `rounds` that the engines take in turn. */
  settings: { topK: number; suggestLimit: number; rounds: number; coldRuns: number; budgetS: number | null }
  /** The commit measured, and uncommitted changes under src/library and src/corpus (git status lines). */
  git: { commit: string | null; dirty: string[] | null }
  /** 1-minute load average when the run started: on a shared 2-core machine, above 2 means perturbed timings. */
  loadAverageAtStart: number
  /** `node dist/scripts/ask.js --help`: process start and module loading without any index. */
  coldStartBaseline: { answerMs: number; exitMs: number } | null
  /** The real corpus (seeds + docs) indexed by `scripts/index.ts` and answered by `scripts/ask.ts` from a fresh process. */
  real: { passages: number | null; indexCliMs: number; coldStart: ColdStartFigures; error?: string } | null
  sizes: SizeResult[]
  totalWallMs: number
}

const fmt = (x: number | null | undefined, digits = 1): string => {
  if (x === null || x === undefined || Number.isNaN(x)) return '–'
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US')
  if (Math.abs(x) >= 100) return x.toFixed(0)
  return x.toFixed(digits)
}
const ratio = (x: number | null) => (x === null || !Number.isFinite(x) ? '–' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`)
/** hit@3, and in brackets the same with our ranking extras off. */
const hitAt3 = (x: number | null, plain: number | null | undefined) => (x === null ? '–' : plain === undefined || plain === null ? fmt(x, 2) : `${fmt(x, 2)} (${fmt(plain, 2)})`)
const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined || Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`)

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** The readable report: latency per engine, then our other figures, then how long each size took. */
export function formatTable(results: BenchResults): string {
  const out: string[] = []
  out.push(
    `corpus: seeds ${results.corpus.seedPassages} passages + docs ${results.corpus.docsPresent ? `${results.corpus.realPassages - results.corpus.seedPassages} passages (${results.corpus.docsDir})` : 'ABSENT – synthetic text from the seeds only'}`,
  )
  out.push(
    `queries: ${results.queries.timed} timed (${results.queries.fromEval} eval questions + ${results.queries.fromHeadings} docs headings as questions${results.queries.repeated ? ', some repeated' : ''}), ${results.queries.warmup} warm-up; machine: ${results.machine.cpus} × ${results.machine.cpuModel}, node ${results.machine.node}`,
  )
  out.push('')
  const rows: string[][] = []
  for (const s of results.sizes) {
    for (const name of ['ours', 'minisearch', 'flexsearch'] as const) {
      const f = s[name]
      if (!f) continue
      rows.push([
        s.passages.toLocaleString('en-US'),
        name,
        fmt(f.askP50Ms, 2),
        fmt(f.askP99Ms, 2),
        fmt(f.askMaxMs, 2),
        f.askSteadyP50Ms === null ? '–' : fmt(f.askSteadyP50Ms, 2),
        f.askSteadyP99Ms === null ? '–' : fmt(f.askSteadyP99Ms, 2),
        seconds(f.buildMs),
        fmt(f.rssMb, 0),
        fmt(f.heapMb, 0),
        hitAt3(f.evalCourseHitAt3, f.eval.plain?.course.hitAt3),
        hitAt3(f.evalDocsHitAt3, f.eval.plain?.docs?.hitAt3),
        String(f.queriesTimed),
        `${fmt(f.loadAverage.start, 1)}/${fmt(f.loadAverage.end, 1)}`,
      ])
    }
  }
  out.push(
    `Search (/ask) latency per engine, top ${results.settings.topK}, whole words, one tokenizer, ms (steady: each query's fastest of 3 passes; ours is approximate: it scores only the rarest terms' postings within a budget); the engines took turns over ${results.settings.rounds} rounds; build time; peak RSS and heap while building and searching, MB; hit@3 on the blind sets (in brackets: ours without its ranking extras)`,
  )
  out.push(table(['passages', 'engine', 'p50', 'p99', 'max', 'steady p50', 'steady p99', 'build', 'RSS', 'heap', 'course hit@3', 'docs hit@3', 'queries', 'load avg'], rows))
  out.push('')
  out.push('Ours: ratio of our latency to each engine (above 1× = slower), autocomplete, persistence, cold start')
  out.push(
    table(
      ['passages', 'p50/mini', 'p99/mini', 'p50/flex', 'p99/flex', 'ac entries', 'ac build', 'ac p50', 'ac p99', 'ac steady p99', 'persist', 'load', 'index MB', 'cold start', 'cold RSS', 'size took'],
      results.sizes.map((s) => [
        s.passages.toLocaleString('en-US'),
        ratio(s.ratios.p50VsMinisearch),
        ratio(s.ratios.p99VsMinisearch),
        ratio(s.ratios.p50VsFlexsearch),
        ratio(s.ratios.p99VsFlexsearch),
        fmt(s.ours?.autocompleteEntries, 0),
        s.ours?.suggesterBuildMs == null ? '–' : `${fmt(s.ours.suggesterBuildMs, 0)} ms`,
        s.ours?.autocompleteP50Ms === null ? 'n/a' : fmt(s.ours?.autocompleteP50Ms, 2),
        s.ours?.autocompleteP99Ms === null ? 'n/a' : fmt(s.ours?.autocompleteP99Ms, 2),
        s.ours?.autocompleteSteadyP99Ms === null ? 'n/a' : fmt(s.ours?.autocompleteSteadyP99Ms, 2),
        s.ours?.persist?.error ? 'FAILED' : seconds(s.ours?.persistMs),
        s.ours?.persist?.error ? 'FAILED' : seconds(s.ours?.loadMs),
        fmt(s.ours?.indexMb, 0),
        seconds(s.ours?.coldStartMs),
        fmt(s.ours?.coldStartPeakRssMb, 0),
        seconds(s.wallMs.total),
      ]),
    ),
  )
  const notes: string[] = []
  if (results.sizes.some((s) => s.ours && s.ours.autocompleteP50Ms === null)) notes.push('autocomplete n/a: the library has no suggest(prefix, limit) yet (hook in src/bench/engines.ts).')
  if (results.coldStartBaseline) notes.push(`cold start baseline (node dist/scripts/ask.js --help, no index): ${seconds(results.coldStartBaseline.answerMs)}.`)
  if (results.real) {
    const r = results.real
    notes.push(
      r.error
        ? `real corpus cold start: ${r.error}`
        : `real corpus (${r.passages ?? '?'} passages): npm run index ${seconds(r.indexCliMs)}, cold start to answer ${seconds(r.coldStart.answerMs)} (peak RSS ${fmt(r.coldStart.peakRssMb, 0)} MB)${r.coldStart.ok ? '' : ' – NOT OK, see JSON'}.`,
    )
  }
  for (const s of results.sizes) for (const e of s.errors) notes.push(`${s.passages}: ${e}`)
  const largest = results.sizes.at(-1)
  if (largest?.ours) notes.push(`slowest of ours at ${largest.passages}: ${largest.ours.slowest.slice(0, 5).map((x) => `${x.q} ${fmt(x.ms, 1)} ms`).join('; ')}`)
  for (const s of results.sizes) {
    const p = s.ours?.profile
    if (!p) continue
    notes.push(`profile of our search at ${s.passages} passages (${p.file}), self time by area: ${p.summary.byArea.slice(0, 6).map((a) => `${a.area} ${(a.share * 100).toFixed(0)}%`).join(', ')}`)
    notes.push(`  top self: ${p.summary.self.slice(0, 8).map((e) => `${e.fn} ${(e.share * 100).toFixed(0)}% (${e.where})`).join('; ')}`)
  }
  if (results.git.commit) notes.push(`measured: commit ${results.git.commit}${results.git.dirty?.length ? ` with uncommitted changes in ${results.git.dirty.map((l) => l.slice(3)).join(', ')}` : ''}`)
  notes.push(`total ${seconds(results.totalWallMs)}; load average at start ${results.loadAverageAtStart} on ${results.machine.cpus} cores`)
  out.push('')
  out.push(...notes)
  return out.join('\n')
}

/** p50 (solid) and p99 (dashed) search latency against corpus size, both axes logarithmic. */
export function latencySvg(results: BenchResults): string {
  const W = 820
  const H = 460
  const m = { left: 70, right: 210, top: 40, bottom: 60 }
  const engines = [
    { key: 'ours', label: 'ours (Orama + rescoring)', color: '#d62728' },
    { key: 'minisearch', label: 'MiniSearch', color: '#1f77b4' },
    { key: 'flexsearch', label: 'FlexSearch', color: '#2ca02c' },
  ] as const
  const points = results.sizes.map((s) => s.passages).filter((n) => n > 0)
  const values: number[] = []
  for (const s of results.sizes) for (const e of engines) for (const v of [s[e.key]?.askP50Ms, s[e.key]?.askP99Ms]) if (v && v > 0) values.push(v)
  const xMin = Math.pow(10, Math.floor(Math.log10(Math.min(...points, 1000))))
  const xMax = Math.pow(10, Math.ceil(Math.log10(Math.max(...points, 10))))
  const yMin = Math.pow(10, Math.floor(Math.log10(Math.min(...values, 1))))
  const yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 10))))
  const x = (v: number) => m.left + ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin) || 1)) * (W - m.left - m.right)
  const y = (v: number) => H - m.bottom - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) * (H - m.top - m.bottom)
  const el: string[] = []
  el.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`)
  el.push(`<text x="${W / 2 - m.right / 2 + m.left / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">Search latency vs corpus size (p50 solid, p99 dashed)</text>`)
  for (let d = Math.log10(xMin); d <= Math.log10(xMax) + 1e-9; d++) {
    const v = Math.pow(10, d)
    el.push(`<line x1="${x(v)}" y1="${m.top}" x2="${x(v)}" y2="${H - m.bottom}" stroke="#ddd"/>`)
    el.push(`<text x="${x(v)}" y="${H - m.bottom + 18}" text-anchor="middle" font-size="12">${v.toLocaleString('en-US')}</text>`)
  }
  for (let d = Math.log10(yMin); d <= Math.log10(yMax) + 1e-9; d++) {
    const v = Math.pow(10, d)
    el.push(`<line x1="${m.left}" y1="${y(v)}" x2="${W - m.right}" y2="${y(v)}" stroke="#ddd"/>`)
    el.push(`<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12">${v >= 1 ? v.toLocaleString('en-US') : v}</text>`)
  }
  el.push(`<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#333"/>`)
  el.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 18}" text-anchor="middle" font-size="13">passages (log scale)</text>`)
  el.push(`<text x="18" y="${(m.top + H - m.bottom) / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${(m.top + H - m.bottom) / 2})">ms per query (log scale)</text>`)
  // The issue's targets for /ask p99: 5 ms at about 4k passages, 50 ms at 100k.
  for (const [tx, ty] of [
    [4000, 5],
    [100_000, 50],
  ] as const) {
    if (tx < xMin || tx > xMax || ty < yMin || ty > yMax) continue
    const [cx, cy] = [x(tx), y(ty)]
    el.push(`<path d="M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx - 5},${cy + 5}L${cx + 5},${cy - 5}" stroke="#555" stroke-width="2"><title>target p99 ≤ ${ty} ms at ${tx} passages</title></path>`)
  }
  let legendY = m.top + 10
  for (const e of engines) {
    for (const [field, dash] of [
      ['askP50Ms', ''],
      ['askP99Ms', ' stroke-dasharray="6 4"'],
    ] as const) {
      const pts = results.sizes.map((s) => [s.passages, s[e.key]?.[field]] as const).filter((p): p is readonly [number, number] => typeof p[1] === 'number' && p[1] > 0)
      if (pts.length === 0) continue
      el.push(`<polyline fill="none" stroke="${e.color}" stroke-width="2"${dash} points="${pts.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')}"/>`)
      for (const [px, py] of pts) el.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${e.color}"><title>${e.key} ${field} at ${px}: ${py} ms</title></circle>`)
    }
    el.push(`<line x1="${W - m.right + 15}" y1="${legendY}" x2="${W - m.right + 40}" y2="${legendY}" stroke="${e.color}" stroke-width="2"/>`)
    el.push(`<text x="${W - m.right + 46}" y="${legendY + 4}" font-size="12">${e.label}</text>`)
    legendY += 22
  }
  el.push(`<line x1="${W - m.right + 15}" y1="${legendY}" x2="${W - m.right + 40}" y2="${legendY}" stroke="#333" stroke-width="2"/>`)
  el.push(`<text x="${W - m.right + 46}" y="${legendY + 4}" font-size="12">p50</text>`)
  legendY += 18
  el.push(`<line x1="${W - m.right + 15}" y1="${legendY}" x2="${W - m.right + 40}" y2="${legendY}" stroke="#333" stroke-width="2" stroke-dasharray="6 4"/>`)
  el.push(`<text x="${W - m.right + 46}" y="${legendY + 4}" font-size="12">p99</text>`)
  legendY += 18
  el.push(`<path d="M${W - m.right + 22},${legendY - 5}L${W - m.right + 32},${legendY + 5}M${W - m.right + 22},${legendY + 5}L${W - m.right + 32},${legendY - 5}" stroke="#555" stroke-width="2"/>`)
  el.push(`<text x="${W - m.right + 46}" y="${legendY + 4}" font-size="12">target p99</text>`)
  legendY += 26
  el.push(`<text x="${W - m.right + 15}" y="${legendY}" font-size="10" fill="#555">${results.machine.cpus} cores, node ${results.machine.node}</text>`)
  el.push(`<text x="${W - m.right + 15}" y="${legendY + 14}" font-size="10" fill="#555">${results.generatedAt.slice(0, 10)}</text>`)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n${el.join('\n')}\n</svg>\n`
}
