// One benchmark measurement in its own process: one engine at one corpus size, so that sizes and engines
// do not share memory. Started by scripts/bench.ts; writes its result as JSON to --out.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadLibraryConfig } from '../config.js'
import { answers, type EvalQuestion } from '../library/evaluation.js'
import { overrideWeight, WEIGHTS } from '../library/ranking-weights.js'
import { Library, type SearchHit } from '../library/library.js'
import { buildAndSave, corpusFingerprint } from '../library/store.js'
import { Suggester } from '../library/suggest.js'
import { openIndexFile, writeIndexFile } from '../library/index-file.js'
import type { BenchBase } from './base-corpus.js'
import { buildEngine, ENGINES, type BenchEngine, type EngineName } from './engines.js'
import { profiled, summarizeProfile, type ProfileSummary } from './profile.js'
import { collectGarbage, MB, MemorySampler, peakRssBytes, retainedHeapMb, round, seededRandom, shuffle, summarize, type LatencySummary } from './stats.js'
import { synthesizeCorpus, type SynthStats } from './synth.js'

export interface PersistFigures {
  /** Writing the index file (as src/library/store.ts saves it). */
  writeMs: number
  persistMs: number
  indexBytes: number
  /** Reading the file back (token stores rebuilt). */
  parseMs: number
  restoreMs: number
  /** read + Library.restore */
  loadMs: number
  /** Process peak RSS after persisting and loading (the built and the restored library held at once). */
  peakRssMb: number
  /** The restored library gives the same top hit as the built one for a sample of queries. */
  restoredMatches: boolean
  /** Where the stored index was written for the cold-start measurement, and the settings it was stored for. */
  indexPath?: string
  env?: Record<string, string>
  error?: string
}

export interface WorkerResult {
  engine: EngineName
  passages: number
  synth: SynthStats
  synthMs: number
  buildMs: number
  ask: LatencySummary
  /**
   * Each timed query's fastest of three passes (the timed one and two more), when the first pass took under
   * STEADY_MAX_LOOP_MS and was not cut short. On a shared machine one pass's p99 is largely other tenants'
   * noise; the fastest of three is the search's own cost.
   */
  askSteady: LatencySummary | null
  /** Timed queries asked (fewer than the query set when --budget-s cut the loop short). */
  queriesTimed: number
  queriesPlanned: number
  /** The ten slowest timed queries. */
  slowest: { q: string; ms: number }[]
  searchLoopMs: number
  /** 1-minute load average at the start and end of this worker: above the core count, timings are perturbed. */
  loadAverage: { start: number; end: number }
  /** Timed queries with at least one hit. */
  answered: number
  /** How many rounds the timed queries were split into, taken in turn with the other engines. */
  rounds: number
  autocomplete: LatencySummary | null
  /** Each prefix's fastest of 3 passes, as for search: what the structure costs, without GC pauses and first calls. */
  autocompleteSteady: LatencySummary | null
  /** Distinct titles and headings autocomplete chooses from, and building a suggester over them (ours only). */
  autocompleteEntries: number | null
  suggesterBuildMs: number | null
  /**
   * hit@1 / hit@3 on the blind sets (untimed, after timing); `plain`: ours again with its ranking extras (title
   * match, phrase, chapter weights) set to 0, so that what the ranking adds shows apart from what the shared
   * tokenizer does.
   */
  eval: { course: EvalFigures; docs: EvalFigures | null; plain?: { course: EvalFigures; docs: EvalFigures | null } }
  memory: { baselineRssMb: number; baselineHeapMb: number; peakRssMb: number; peakHeapMb: number; retainedHeapMb: number }
  persist?: PersistFigures
  profile?: { file: string; summary: ProfileSummary }
  wallMs: number
}

export interface EvalFigures {
  questions: number
  hitAt1: number
  hitAt3: number
}

/** Messages between scripts/bench.ts and a worker, so that engines take turns round by round. */
export type ToWorker = { type: 'round'; round: number } | { type: 'finish' }
export type FromWorker = { type: 'ready' } | { type: 'round-done'; round: number }

/** Two more passes for the steady figures only when one pass is quick enough not to lengthen the run much. */
const STEADY_MAX_LOOP_MS = 30_000

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    size: { type: 'string' },
    engine: { type: 'string' },
    out: { type: 'string' },
    'persist-dir': { type: 'string' },
    profile: { type: 'string' },
    'profile-queries': { type: 'string', default: '100' },
    'budget-s': { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
})
if (!values.base || !values.size || !values.engine || !values.out) throw new Error('worker: --base, --size, --engine and --out are required')
if (!(ENGINES as readonly string[]).includes(values.engine)) throw new Error(`worker: unknown engine ${values.engine}`)
const engineName = values.engine as EngineName
const size = Number(values.size)
const started = performance.now()
const loadAtStart = round(os.loadavg()[0]!)
const log = (message: string) => process.stderr.write(`  [${engineName} ${size}] ${message}\n`)

let base: BenchBase | undefined = JSON.parse(await readFile(values.base, 'utf8')) as BenchBase
const queries = base.queries
const blind = base.blind
const rounds = Math.max(1, Number(values.rounds))
let t = performance.now()
const { corpus, stats: synth } = synthesizeCorpus(base, size)
const synthMs = round(performance.now() - t)
base = undefined
collectGarbage()
const baselineRssMb = round(process.memoryUsage().rss / MB)
const baselineHeapMb = round(process.memoryUsage().heapUsed / MB)
log(`${synth.passages} passages (${synth.syntheticPassages} synthetic) in ${Math.round(synthMs)} ms; building`)

const sampler = new MemorySampler().start()
t = performance.now()
const engine: BenchEngine = await buildEngine(engineName, corpus)
const buildMs = round(performance.now() - t)
sampler.sample()
log(`built in ${(buildMs / 1000).toFixed(1)} s; warming up with ${queries.warmup.length} queries`)

// Ours warms its search path as the servers do at start (Library.warmUp), then every engine has the same warm-up.
if (engine.library) {
  const warmed = await engine.library.warmUp()
  log(`library warm-up: ${warmed.questions} titles and headings in ${Math.round(warmed.ms)} ms`)
}
for (const [i, q] of queries.warmup.entries()) {
  const t0 = performance.now()
  engine.search(q)
  if (i < 3 || performance.now() - t0 > 1000) log(`warm-up query ${i + 1}: ${Math.round(performance.now() - t0)} ms`)
}

// The timed queries in a seeded random order (eval and heading questions mixed), so that a run cut short by
// --budget-s still times a representative sample. Started by scripts/bench.ts (an IPC channel), the worker times
// them in rounds when told to, taking turns with the other engines' workers so that a change in the machine's
// load falls on all engines alike; run alone, it times all rounds in a row.
const order = shuffle(queries.timed.map((_, i) => i), seededRandom(11))
const budgetMs = values['budget-s'] === undefined ? Infinity : Number(values['budget-s']) * 1000
let loopMs = 0
const times: number[] = []
const asked: string[] = []
let answered = 0
let budgetSpent = false

function timeRound(round: number): void {
  const from = Math.floor((round * order.length) / rounds)
  const to = Math.floor(((round + 1) * order.length) / rounds)
  const roundStarted = performance.now()
  for (const i of order.slice(from, to)) {
    if (budgetSpent) break
    const q = queries.timed[i]!
    const t0 = performance.now()
    const hits = engine.search(q)
    const t1 = performance.now()
    times.push(t1 - t0)
    asked.push(q)
    if (hits.length > 0) answered++
    if (times.length % 20 === 0) sampler.sample()
    if (loopMs + (t1 - roundStarted) > budgetMs) {
      budgetSpent = true
      log(`time budget of ${values['budget-s']} s spent: stopping after ${times.length} of ${order.length} queries`)
    }
  }
  loopMs += performance.now() - roundStarted
}

const nextMessage = () => new Promise<ToWorker>((resolve) => process.once('message', (m) => resolve(m as ToWorker)))
if (process.send) {
  process.send({ type: 'ready' } satisfies FromWorker)
  for (let message = await nextMessage(); message.type === 'round'; message = await nextMessage()) {
    timeRound(message.round)
    process.send({ type: 'round-done', round: message.round } satisfies FromWorker)
  }
} else {
  for (let round = 0; round < rounds; round++) timeRound(round)
}
/**
 * Each item's fastest of three runs, given its first run's times: the steady figures, which leave out GC pauses
 * and first calls (search and autocomplete alike).
 */
function fastestOfThree<T>(firstTimes: readonly number[], items: readonly T[], run: (item: T) => void): number[] {
  const fastest = [...firstTimes]
  for (let pass = 0; pass < 2; pass++) {
    items.forEach((item, i) => {
      const t0 = performance.now()
      run(item)
      fastest[i] = Math.min(fastest[i]!, performance.now() - t0)
    })
  }
  return fastest
}

const searchLoopMs = Math.round(loopMs)
let askSteady: LatencySummary | null = null
if (times.length === order.length && searchLoopMs < STEADY_MAX_LOOP_MS) {
  askSteady = summarize(fastestOfThree(times, asked, (q) => engine.search(q)))
  log(`steady (fastest of 3 passes per query): p50 ${askSteady.p50Ms} ms, p99 ${askSteady.p99Ms} ms`)
}
const ask = summarize(times)
const slowest = times
  .map((ms, i) => ({ q: asked[i]!, ms: round(ms) }))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 10)
log(`search p50 ${ask.p50Ms} ms, p99 ${ask.p99Ms} ms, max ${ask.maxMs} ms over ${times.length} queries`)

let autocomplete: LatencySummary | null = null
let autocompleteSteady: LatencySummary | null = null
let autocompleteEntries: number | null = null
let suggesterBuildMs: number | null = null
if (engine.suggest && engine.library) {
  // The library builds its suggester inside Library.build; a second one, from the same titles and headings as
  // the library passes it, times that part alone.
  const t0 = performance.now()
  const suggester = new Suggester(corpus.chapters.map((c) => c.title), engine.library.headings(), engine.library.tokenizer)
  suggesterBuildMs = round(performance.now() - t0)
  autocompleteEntries = suggester.size
  log(`suggester: ${autocompleteEntries} entries, built in ${suggesterBuildMs} ms`)
  for (const p of queries.prefixes.slice(0, 50)) engine.suggest(p)
  const acTimes: number[] = []
  for (let i = 0; i < queries.prefixes.length; i++) {
    const t0 = performance.now()
    engine.suggest(queries.prefixes[i]!)
    acTimes.push(performance.now() - t0)
    if (i % 20 === 0) sampler.sample()
  }
  autocomplete = summarize(acTimes)
  autocompleteSteady = summarize(fastestOfThree(acTimes, queries.prefixes, (prefix) => engine.suggest!(prefix)))
  log(`autocomplete p50 ${autocomplete.p50Ms} ms, p99 ${autocomplete.p99Ms} ms; steady p50 ${autocompleteSteady.p50Ms} ms, p99 ${autocompleteSteady.p99Ms} ms`)
}

const evalFigures: WorkerResult['eval'] = { course: hitRates(blind.course), docs: blind.docs.length ? hitRates(blind.docs) : null }
if (engine.library) {
  const extras = ['TITLE_MATCH', 'PHRASE', 'CHAPTER'] as const
  const kept = extras.map((name) => WEIGHTS[name])
  for (const name of extras) overrideWeight(name, 0)
  evalFigures.plain = { course: hitRates(blind.course), docs: blind.docs.length ? hitRates(blind.docs) : null }
  extras.forEach((name, i) => overrideWeight(name, kept[i]!))
  log(`blind hit@3: course ${evalFigures.course.hitAt3}, docs ${evalFigures.docs?.hitAt3 ?? '–'}; without ranking extras ${evalFigures.plain.course.hitAt3}, ${evalFigures.plain.docs?.hitAt3 ?? '–'}`)
}

const peak = sampler.stop()
const memory = { baselineRssMb, baselineHeapMb, peakRssMb: peak.peakRssMb, peakHeapMb: peak.peakHeapMb, retainedHeapMb: retainedHeapMb() }

let profile: WorkerResult['profile']
if (values.profile) {
  log('profiling the search loop (a second, untimed pass over a sample of the queries)')
  const sample = order.slice(0, Number(values['profile-queries'])).map((i) => queries.timed[i]!)
  log(`profiling ${sample.length} queries`)
  const { profile: cpu } = await profiled(() => {
    for (const q of sample) engine.search(q)
  })
  await mkdir(path.dirname(values.profile), { recursive: true })
  await writeFile(values.profile, JSON.stringify(cpu))
  profile = { file: values.profile, summary: summarizeProfile(cpu) }
}

let persist: PersistFigures | undefined
if (engine.library && values['persist-dir']) persist = await measurePersistence(engine.library, values['persist-dir'])

const result: WorkerResult = {
  engine: engineName,
  passages: synth.passages,
  synth,
  synthMs,
  buildMs,
  ask,
  askSteady,
  queriesTimed: times.length,
  slowest,
  queriesPlanned: order.length,
  searchLoopMs,
  loadAverage: { start: loadAtStart, end: round(os.loadavg()[0]!) },
  answered,
  rounds,
  autocomplete,
  autocompleteSteady,
  autocompleteEntries,
  suggesterBuildMs,
  eval: evalFigures,
  memory,
  persist,
  profile,
  wallMs: Math.round(performance.now() - started),
}
await writeFile(values.out, JSON.stringify(result))
process.exit(0)

/** The corpus's text as files, one per chapter, for the fingerprint to read (never parsed). */
async function writeCorpusText(dir: string): Promise<void> {
  const byChapter = new Map<string, string[]>()
  for (const p of corpus.passages) {
    const texts = byChapter.get(p.chapterKey) ?? []
    texts.push(p.text)
    byChapter.set(p.chapterKey, texts)
  }
  let n = 0
  for (const texts of byChapter.values()) await writeFile(path.join(dir, `${++n}.md`), texts.join('\n\n'))
}

/** Top-3 answer rates over a question set (a hit counts as in src/library/evaluation.ts). */
function hitRates(questions: readonly EvalQuestion[]): EvalFigures {
  const ranks = questions.map((question) => engine.search(question.q).slice(0, 3).findIndex((hit) => answers(hit as SearchHit, question)))
  const n = ranks.length || 1
  return { questions: ranks.length, hitAt1: round(ranks.filter((r) => r === 0).length / n), hitAt3: round(ranks.filter((r) => r >= 0).length / n) }
}

/**
 * Persist and load timings, and a stored index for the cold-start measurement. The index file's header (format,
 * versions) comes from a real `buildAndSave` of an empty corpus folder; the folder is then filled with this
 * corpus's text (one file per chapter, as many bytes as its passages), and the header given that folder's
 * fingerprint. `loadLibrary` with CORPUS_DIR set to it fingerprints a corpus of this size, finds it current and
 * loads the synthetic index instead of rebuilding, so `scripts/ask.ts` itself can be timed, fingerprint included.
 */
async function measurePersistence(library: Library, dir: string): Promise<PersistFigures> {
  const corpusDir = path.join(dir, 'corpus')
  const indexPath = path.join(dir, `library-${size}.idx`)
  await mkdir(corpusDir, { recursive: true })
  const config = loadLibraryConfig({ CORPUS_DIR: corpusDir, INDEX_PATH: path.join(dir, 'envelope.idx') })
  const env = { CORPUS_DIR: corpusDir, INDEX_PATH: indexPath, COURSE_BASE_URL: config.courseBaseUrl, DOCS_BASE_URL: config.docsBaseUrl }
  const figures: PersistFigures = {
    writeMs: NaN,
    persistMs: NaN,
    indexBytes: 0,
    parseMs: NaN,
    restoreMs: NaN,
    loadMs: NaN,
    peakRssMb: NaN,
    restoredMatches: false,
  }
  try {
    await buildAndSave(config)
    const envelope = await openIndexFile(config.indexPath)
    await envelope.close()
    await rm(config.indexPath, { force: true })
    await writeCorpusText(corpusDir)
    const header = { ...envelope.header, fingerprint: corpusFingerprint(config) }
    log('persisting (library → index file)')
    let t0 = performance.now()
    await writeIndexFile(indexPath, header, library.stored())
    figures.writeMs = round(performance.now() - t0)
    figures.persistMs = figures.writeMs
    figures.indexBytes = (await stat(indexPath)).size
    log(`persisted ${(figures.indexBytes / MB).toFixed(1)} MB in ${Math.round(figures.persistMs)} ms; loading (index file → Library.restore)`)
    t0 = performance.now()
    const stored = await (await openIndexFile(indexPath)).read()
    figures.parseMs = round(performance.now() - t0)
    t0 = performance.now()
    const restored = await Library.restore(stored)
    figures.restoreMs = round(performance.now() - t0)
    figures.loadMs = round(figures.parseMs + figures.restoreMs)
    const sample = queries.timed.slice(0, 20)
    figures.restoredMatches = sample.every((q) => restored.search(q, { limit: 3 }).hits[0]?.id === library.search(q, { limit: 3 }).hits[0]?.id)
    figures.indexPath = indexPath
    figures.env = env
    log(`loaded in ${Math.round(figures.loadMs)} ms (read ${Math.round(figures.parseMs)}, restore ${Math.round(figures.restoreMs)})`)
  } catch (error) {
    figures.error = (error as Error).message
    log(`persistence failed: ${figures.error}`)
  }
  figures.peakRssMb = round(peakRssBytes() / MB)
  return figures
}
