// npm run bench: search latency, build, persistence, cold start and memory at growing corpus sizes, for our
// library and for MiniSearch and FlexSearch with the same tokenizer. See docs/benchmark.md.
import { execFileSync, spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fail, parseCli } from '../src/cli/args.js'
import { PROJECT_ROOT } from '../src/config.js'
import { loadBenchBase } from '../src/bench/base-corpus.js'
import { coldRun, coldStart } from '../src/bench/cold-start.js'
import { ENGINES, SUGGEST_LIMIT, TOP_K, type EngineName } from '../src/bench/engines.js'
import { formatTable, latencySvg, type BenchResults, type OtherFigures, type OurFigures, type SizeResult } from '../src/bench/report.js'
import { MB, round } from '../src/bench/stats.js'
import { NODE_FLAGS } from '../src/ops/node-flags.js'
import type { FromWorker, ToWorker, WorkerResult } from '../src/bench/worker.js'
import type { ChildProcess } from 'node:child_process'

const USAGE = `Usage: npm run bench -- [options]

Measures search latency (p50/p99/max), autocomplete latency, index build, persist and load
times, cold start and peak memory at each corpus size, for our library and for MiniSearch
and FlexSearch on the same passages with the same tokenizer. Each engine and size runs in
its own process, on the compiled JavaScript (it runs npm run build first, as the Docker
image does). Writes bench/results.json and bench/latency.svg.

Options:
  --sizes N,N,...     corpus sizes in passages (default 1000,4000,10000,100000: 4k is
                      about the real course)
  --json              print the results as one JSON object instead of the table
  --engines A,B       which engines (default ours,minisearch,flexsearch)
  --queries N         timed queries per engine and size (default 500)
  --warmup N          untimed warm-up queries first (default 50)
  --cold-runs N       cold starts per size, the median is reported (default 3; 0 = none)
  --no-real           skip the cold start on the real corpus (seeds + docs through npm run index)
  --no-docs           ignore ../shared/corpora/k8s-docs-zh even when present
  --docs DIR          the Markdown docs corpus (default ../shared/corpora/k8s-docs-zh)
  --budget-s S        stop each engine's timed loop after S seconds (fewer queries are then
                      timed, in a seeded random order; the results say how many)
  --profile           CPU-profile our search (a second, untimed pass over --profile-queries
                      of the queries, default 100) at each size; profiles go to bench/tmp/,
                      a summary into the results and the table
  --rounds N          the timed queries are split into N rounds, and the engines take turns
                      round by round (each round's order rotated), so that a change in the
                      machine's load falls on all engines alike (default 10)
  --out DIR           where results.json and latency.svg go (default bench/)
  --max-old-space MB  V8 heap limit of the worker processes (default: node's own)
  -h, --help          this text`

/** The compiled entry points (npm run build writes dist/). */
const COMPILED = {
  worker: path.join('dist', 'src', 'bench', 'worker.js'),
  ask: path.join('dist', 'scripts', 'ask.js'),
  index: path.join('dist', 'scripts', 'index.js'),
}

const { values } = parseCli(
  {
    sizes: { type: 'string', default: '1000,4000,10000,100000' },
    json: { type: 'boolean', default: false },
    engines: { type: 'string', default: ENGINES.join(',') },
    queries: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    'cold-runs': { type: 'string', default: '3' },
    'no-real': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    docs: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'profile-queries': { type: 'string', default: '100' },
    'budget-s': { type: 'string' },
    rounds: { type: 'string', default: '10' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench') },
    'max-old-space': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

const wholeNumber = (name: string, raw: string, min: number) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`--${name}: "${raw}" must be a whole number of at least ${min}\n\n${USAGE}`)
  return Number(raw)
}
const sizes = values.sizes.split(',').map((s) => wholeNumber('sizes', s.trim().replace(/_/g, ''), 1))
const engines = values.engines.split(',').map((e) => e.trim()) as EngineName[]
for (const e of engines) if (!(ENGINES as readonly string[]).includes(e)) fail(`--engines: unknown engine "${e}"; choose from ${ENGINES.join(', ')}`)
const queryCount = wholeNumber('queries', values.queries, 1)
const warmupCount = wholeNumber('warmup', values.warmup, 0)
const coldRuns = wholeNumber('cold-runs', values['cold-runs'], 0)
const maxOldSpace = values['max-old-space'] === undefined ? undefined : wholeNumber('max-old-space', values['max-old-space'], 256)
const budgetS = values['budget-s'] === undefined ? undefined : wholeNumber('budget-s', values['budget-s'], 1)
const rounds = wholeNumber('rounds', values.rounds, 1)
const profileQueries = wholeNumber('profile-queries', values['profile-queries'], 1)
const outDir = path.resolve(values.out)
const progress = (message: string) => process.stderr.write(`${message}\n`)

const started = performance.now()
const scratch = await mkdtemp(path.join(os.tmpdir(), 'k8s-bench-'))
try {
  // Workers and cold starts run the compiled JavaScript, as the Docker image does: tsx, which `npm start` uses,
  // adds about 30 MB and slows the code it loads.
  progress('compiling (npm run build) so that the measured processes run compiled JavaScript')
  const compileStarted = performance.now()
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' })
  progress(`compiled in ${((performance.now() - compileStarted) / 1000).toFixed(1)} s`)
  const base = await loadBenchBase({ docsDir: values.docs, noDocs: values['no-docs'], queryCount, warmupCount })
  progress(
    base.docsPresent
      ? `real corpus: ${base.seedPassages} seed passages + ${base.docsPassages} docs passages from ${base.docsDir} (loaded in ${base.loadMs} ms)`
      : `real corpus: ${base.seedPassages} seed passages; docs corpus ${values['no-docs'] ? 'skipped (--no-docs)' : `ABSENT at ${base.docsDir}`}: synthetic text is grown from the seeds only`,
  )
  progress(`queries: ${base.queries.timed.length} timed (${base.queries.fromEval} eval + ${base.queries.fromHeadings} from headings${base.queries.repeated ? ', repeated to reach the count' : ''}), ${base.queries.warmup.length} warm-up`)
  if (base.queries.timed.length < 500) progress('note: fewer than 500 timed queries (--queries)')
  const baseFile = path.join(scratch, 'base.json')
  await writeFile(baseFile, JSON.stringify(base))

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', memoryGb: Math.round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${process.platform}-${process.arch}` },
    corpus: {
      seedsDir: path.relative(PROJECT_ROOT, base.seedsDir) || '.',
      docsDir: path.relative(PROJECT_ROOT, base.docsDir),
      docsPresent: base.docsPresent,
      seedPassages: base.seedPassages,
      realPassages: base.passages.length,
      note: base.docsPresent ? 'seed corpus plus the k8s zh-cn docs (Markdown path)' : 'docs corpus absent: sizes above the seeds are synthetic variants of seed passages',
    },
    queries: {
      timed: base.queries.timed.length,
      warmup: base.queries.warmup.length,
      fromEval: base.queries.fromEval,
      fromHeadings: base.queries.fromHeadings,
      repeated: base.queries.repeated,
      examples: base.queries.timed.slice(base.queries.fromEval, base.queries.fromEval + 5),
    },
    settings: { topK: TOP_K, suggestLimit: SUGGEST_LIMIT, rounds, coldRuns, budgetS: budgetS ?? null },
    git: gitState(),
    loadAverageAtStart: round(os.loadavg()[0]!),
    coldStartBaseline: null,
    real: null,
    sizes: [],
    totalWallMs: 0,
  }
  const question = base.queries.timed[0] ?? 'Pod 是什么？'

  if (coldRuns > 0) {
    const runs = []
    for (let i = 0; i < coldRuns; i++) runs.push(await coldRun({}, '', [COMPILED.ask, '--help']))
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
    results.coldStartBaseline = { answerMs: med(runs.map((r) => r.answerMs)), exitMs: med(runs.map((r) => r.exitMs)) }
    progress(`cold start baseline (ask.ts --help, no index): ${Math.round(results.coldStartBaseline.answerMs)} ms`)
  }

  for (const size of sizes) {
    const sizeStarted = performance.now()
    const wallMs: Record<string, number> = {}
    const errors: string[] = []
    const byEngine: Partial<Record<EngineName, WorkerResult>> = {}
    progress(`\n== ${size.toLocaleString('en-US')} passages ==`)
    // Each engine builds and warms up in its own process, one after another; then they take turns timing a
    // round of queries; then each finishes (steady passes, autocomplete, eval, persistence) alone.
    const workers: { engine: EngineName; worker: Worker }[] = []
    for (const engine of engines) {
      const t = performance.now()
      try {
        workers.push({ engine, worker: await startWorker(baseFile, size, engine) })
      } catch (error) {
        errors.push(`${engine}: ${(error as Error).message}`)
        progress(`  [${engine} ${size}] FAILED: ${(error as Error).message}`)
      }
      wallMs[engine] = Math.round(performance.now() - t)
    }
    const t = performance.now()
    for (let round = 0; round < rounds; round++) {
      const turn = workers.map((_, i) => workers[(i + round) % workers.length]!)
      for (const { engine, worker } of turn) {
        try {
          await worker.round(round)
        } catch (error) {
          errors.push(`${engine}: ${(error as Error).message}`)
          workers.splice(workers.findIndex((w) => w.engine === engine), 1)
        }
      }
    }
    wallMs.rounds = Math.round(performance.now() - t)
    for (const { engine, worker } of workers) {
      const t = performance.now()
      try {
        byEngine[engine] = await worker.finish()
      } catch (error) {
        errors.push(`${engine}: ${(error as Error).message}`)
        progress(`  [${engine} ${size}] FAILED: ${(error as Error).message}`)
      }
      wallMs[engine] = (wallMs[engine] ?? 0) + Math.round(performance.now() - t)
    }
    const ours = byEngine.ours
    let cold: OurFigures['coldStart']
    if (ours?.persist?.indexPath && ours.persist.env && coldRuns > 0) {
      const t = performance.now()
      progress(`  [cold start ${size}] node ${COMPILED.ask} --json × ${coldRuns}`)
      cold = await coldStart(ours.persist.env, question, coldRuns, COMPILED.ask)
      wallMs.coldStart = Math.round(performance.now() - t)
      progress(`  [cold start ${size}] answer after ${Math.round(cold.answerMs)} ms (median), peak RSS ${cold.peakRssMb ?? '?'} MB${cold.ok ? '' : ` – NOT OK: ${cold.runs.map((r) => r.error ?? `${r.hits} hits`).join('; ')}`}`)
      if (!cold.ok) errors.push(`cold start: ${cold.runs.map((r) => r.error ?? `${r.hits} hits, rebuilt=${r.rebuilt}`).join('; ')}`)
    }
    if (ours?.persist?.indexPath) await rm(ours.persist.indexPath, { force: true })
    if (ours?.persist?.error) errors.push(`persist/load: ${ours.persist.error}`)
    wallMs.total = Math.round(performance.now() - sizeStarted)
    const synth = (ours ?? byEngine.minisearch ?? byEngine.flexsearch)?.synth
    const result: SizeResult = {
      passages: synth?.passages ?? size,
      synth: synth ?? { passages: size, realPassages: 0, syntheticPassages: 0, chapters: 0, syntheticChapters: 0, insertedTerms: 0 },
      ours: ours ? ourFigures(ours, cold) : null,
      minisearch: byEngine.minisearch ? otherFigures(byEngine.minisearch) : null,
      flexsearch: byEngine.flexsearch ? otherFigures(byEngine.flexsearch) : null,
      ratios: {
        p50VsMinisearch: ratioOf(ours?.ask.p50Ms, byEngine.minisearch?.ask.p50Ms),
        p99VsMinisearch: ratioOf(ours?.ask.p99Ms, byEngine.minisearch?.ask.p99Ms),
        p50VsFlexsearch: ratioOf(ours?.ask.p50Ms, byEngine.flexsearch?.ask.p50Ms),
        p99VsFlexsearch: ratioOf(ours?.ask.p99Ms, byEngine.flexsearch?.ask.p99Ms),
      },
      wallMs,
      errors,
    }
    results.sizes.push(result)
    progress(`  ${size.toLocaleString('en-US')} passages took ${(wallMs.total / 1000).toFixed(1)} s`)
  }

  if (!values['no-real'] && base.docsPresent && coldRuns > 0) results.real = await realColdStart(base.seedsDir, base.docsDir, question)

  results.totalWallMs = Math.round(performance.now() - started)
  await mkdir(outDir, { recursive: true })
  await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  await writeFile(path.join(outDir, 'latency.svg'), latencySvg(results))
  progress(`\nwrote ${path.relative(process.cwd(), path.join(outDir, 'results.json')) || 'results.json'} and latency.svg`)
  if (values.json) console.log(JSON.stringify(results))
  else console.log(`\n${formatTable(results)}`)
} finally {
  await rm(scratch, { recursive: true, force: true })
}

function ratioOf(ours: number | undefined, theirs: number | undefined): number | null {
  if (ours === undefined || theirs === undefined || !(theirs > 0)) return null
  return round(ours / theirs)
}

function ourFigures(w: WorkerResult, cold: OurFigures['coldStart']): OurFigures {
  const p = w.persist
  const persisted = p && !p.error
  return {
    ...otherFigures(w),
    autocompleteP50Ms: w.autocomplete?.p50Ms ?? null,
    autocompleteP99Ms: w.autocomplete?.p99Ms ?? null,
    autocompleteSteadyP99Ms: w.autocompleteSteady?.p99Ms ?? null,
    autocompleteEntries: w.autocompleteEntries,
    suggesterBuildMs: w.suggesterBuildMs,
    persistMs: persisted ? p.persistMs : null,
    loadMs: persisted ? p.loadMs : null,
    indexMb: persisted ? round(p.indexBytes / MB) : null,
    coldStartMs: cold?.ok ? cold.answerMs : null,
    coldStartPeakRssMb: cold?.ok ? cold.peakRssMb : null,
    ask: w.ask,
    autocomplete: w.autocomplete,
    ...(p ? { persist: p } : {}),
    ...(cold ? { coldStart: cold } : {}),
    ...(w.profile ? { profile: w.profile } : {}),
  }
}

function otherFigures(w: WorkerResult): OtherFigures {
  return {
    askP50Ms: w.ask.p50Ms,
    askP99Ms: w.ask.p99Ms,
    askSteadyP50Ms: w.askSteady?.p50Ms ?? null,
    askSteadyP99Ms: w.askSteady?.p99Ms ?? null,
    askMaxMs: w.ask.maxMs,
    askMeanMs: w.ask.meanMs,
    buildMs: w.buildMs,
    rssMb: w.memory.peakRssMb,
    heapMb: w.memory.peakHeapMb,
    retainedHeapMb: w.memory.retainedHeapMb,
    evalCourseHitAt3: w.eval.course.hitAt3,
    evalDocsHitAt3: w.eval.docs?.hitAt3 ?? null,
    eval: w.eval,
    answered: w.answered,
    queriesTimed: w.queriesTimed,
    loadAverage: w.loadAverage,
    slowest: w.slowest,
  }
}

interface Worker {
  /** Time round `round` of the queries; resolves when it is done. */
  round(round: number): Promise<void>
  /** Let it finish alone; resolves with its results once it has exited. */
  finish(): Promise<WorkerResult>
}

/**
 * One engine at one size, in a fresh node process on the compiled worker (stdout and stderr go to our stderr).
 * Resolves once it has built its index and warmed up.
 */
function startWorker(baseFile: string, size: number, engine: EngineName): Promise<Worker> {
  const out = path.join(scratch, `result-${engine}-${size}.json`)
  const args = [
    ...NODE_FLAGS,
    '--expose-gc',
    ...(maxOldSpace ? [`--max-old-space-size=${maxOldSpace}`] : []),
    COMPILED.worker,
    '--base',
    baseFile,
    '--size',
    String(size),
    '--engine',
    engine,
    '--out',
    out,
    '--rounds',
    String(rounds),
    ...(engine === 'ours' ? ['--persist-dir', path.join(scratch, `persist-${size}`)] : []),
    ...(engine === 'ours' && values.profile ? ['--profile', path.join(PROJECT_ROOT, 'bench', 'tmp', `profile-ours-${size}.cpuprofile`), '--profile-queries', String(profileQueries)] : []),
    ...(budgetS !== undefined ? ['--budget-s', String(budgetS)] : []),
  ]
  const child: ChildProcess = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  child.stdout!.pipe(process.stderr, { end: false })
  child.stderr!.pipe(process.stderr, { end: false })
  const exited = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', async (code, signal) => {
      if (code !== 0) return reject(new Error(`worker exited with ${signal ?? `code ${code}`}`))
      try {
        resolve(JSON.parse(await readFile(out, 'utf8')) as WorkerResult)
      } catch (error) {
        reject(error as Error)
      }
    })
  })
  exited.catch(() => {}) // observed through reply() and finish()
  /** The worker's next message, or its failure. */
  const reply = (expected: FromWorker['type']) =>
    Promise.race([
      new Promise<void>((resolve) => child.once('message', (m: FromWorker) => m.type === expected && resolve())),
      exited.then(() => Promise.reject(new Error(`worker exited before '${expected}'`))),
    ])
  const send = (message: ToWorker) => child.send(message)
  return reply('ready').then(() => ({
    round: (round) => {
      const done = reply('round-done')
      send({ type: 'round', round })
      return done
    },
    finish: () => {
      send({ type: 'finish' })
      return exited
    },
  }))
}

/** The real corpus as an operator would set it up: seeds and docs in one CORPUS_DIR, `npm run index`, then ask. */
async function realColdStart(seedsDir: string, docsDir: string, q: string): Promise<BenchResults['real']> {
  const dir = path.join(scratch, 'real-corpus')
  const indexPath = path.join(scratch, 'real-library.idx')
  progress(`\n== real corpus: seeds + docs copied to one CORPUS_DIR, npm run index, then ask.ts × ${coldRuns} ==`)
  await cp(seedsDir, dir, { recursive: true })
  await cp(docsDir, dir, { recursive: true })
  const env = { CORPUS_DIR: dir, INDEX_PATH: indexPath }
  const t = performance.now()
  const index = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [COMPILED.index], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.on('close', (code) => resolve({ code, stdout }))
  })
  const indexCliMs = Math.round(performance.now() - t)
  const passages = Number(/total: .*?, (\d+) passages/.exec(index.stdout)?.[1] ?? NaN)
  if (index.code !== 0) return { passages: null, indexCliMs, coldStart: { runs: [], answerMs: NaN, exitMs: NaN, peakRssMb: null, ok: false }, error: `npm run index exited with ${index.code}` }
  const cold = await coldStart(env, q, coldRuns, COMPILED.ask)
  progress(`  index ${(indexCliMs / 1000).toFixed(1)} s for ${passages} passages; cold start to answer ${Math.round(cold.answerMs)} ms, peak RSS ${cold.peakRssMb ?? '?'} MB${cold.ok ? '' : ' – NOT OK'}`)
  await rm(dir, { recursive: true, force: true })
  return { passages: Number.isFinite(passages) ? passages : null, indexCliMs, coldStart: cold }
}

/** Which code was measured: the commit and whether the working tree had changes. */
function gitState(): { commit: string | null; dirty: string[] | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src/library', 'src/corpus'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    return { commit, dirty }
  } catch {
    return { commit: null, dirty: null }
  }
}
