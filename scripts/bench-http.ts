// npm run bench:http: one compiled bot process in HTTP interactions mode, loaded with signed /ask requests by
// autocannon at course size, against the same process in gateway mode on the local fake Discord. See
// docs/benchmark.md, "HTTP interactions mode".
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import { signatureHeaders } from '../src/bot/signature.js'
import { fail, parseCli } from '../src/cli/args.js'
import { PROJECT_ROOT } from '../src/config.js'
import { loadBenchBase } from '../src/bench/base-corpus.js'
import { NODE_FLAGS } from '../src/ops/node-flags.js'
import { highWaterMb } from '../src/bench/cold-start.js'
import { percentile, round } from '../src/bench/stats.js'
import type { WorkerResult } from '../src/bench/worker.js'

/** What the benchmark uses of tests/support/fake-discord.ts, the local fake Discord the end-to-end tests use. */
interface FakeDiscord {
  apiUrl: string
  interactions: Map<string, unknown>
  interact(payload: { token: string }, options: { timeoutMs: number }): Promise<{ body?: { type?: number } }>
  close(): Promise<void>
}
interface FakeDiscordModule {
  startFakeDiscord(options: { timeoutMs: number }): Promise<FakeDiscord>
  chatInput(name: string, options: Record<string, string>, extra: { userId: string }): { token: string }
}
// Loaded by path: it lives with the tests and must not be compiled into dist/ (this script runs under tsx).
const { chatInput, startFakeDiscord } = (await import(pathToFileURL(path.join(PROJECT_ROOT, 'tests', 'support', 'fake-discord.ts')).href)) as FakeDiscordModule

const USAGE = `Usage: npm run bench:http -- [options]

Compiles (npm run build), stores a course-size index (the benchmark's synthetic corpus grown from
the seeds and the docs corpus), then measures dist/src/main.js:
  HTTP mode (INTERACTIONS=http): cold start to a ready /healthz; signed POST /interactions /ask
    requests from autocannon, as many as it takes (throughput, p50, p99) and at a fixed rate
    (p50, p99); peak RSS of the process.
  gateway mode (DISCORD_TOKEN, on the local fake Discord): the same figures, the interactions sent
    over the fake gateway and answered through the fake REST.
Every question comes from the benchmark's query set, each from a new user (no cooldown).

Options:
  --size N          passages in the stored index (default 4000, about the real course)
  --duration S      seconds of each load (default 10)
  --connections N   concurrent connections (HTTP) or interactions in flight (gateway) for the
                    throughput run (default 16)
  --rate N          requests per second of the fixed-rate run (default 250)
  --cold-runs N     cold starts per mode, the median is reported (default 3)
  --no-gateway      measure the HTTP mode only
  --json            print the figures as one JSON object
  -h, --help        this text`

const { values } = parseCli(
  {
    size: { type: 'string', default: '4000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    rate: { type: 'string', default: '250' },
    'cold-runs': { type: 'string', default: '3' },
    'no-gateway': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const whole = (name: string, raw: string, min: number) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`--${name}: "${raw}" must be a whole number of at least ${min}\n\n${USAGE}`)
  return Number(raw)
}
const size = whole('size', values.size, 100)
const durationS = whole('duration', values.duration, 1)
const connections = whole('connections', values.connections, 1)
const rate = whole('rate', values.rate, 1)
const coldRuns = whole('cold-runs', values['cold-runs'], 1)

const progress = (line: string) => process.stderr.write(`${line}\n`)
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js')
const WORKER = path.join(PROJECT_ROOT, 'dist', 'src', 'bench', 'worker.js')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Started {
  child: ChildProcess
  readyMs: number
  port: number
  stderr: () => string
}

let nextPort = 18_700 + Math.floor(Math.random() * 1000)

/** main.js with the bot's flags and `env`, timed from spawn until /healthz answers 200 (polled every 5 ms). */
async function startMain(env: Record<string, string>): Promise<Started> {
  const port = nextPort++
  const started = performance.now()
  const child = spawn(process.execPath, [...NODE_FLAGS, MAIN], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HTTP_PORT: String(port), ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  while (performance.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`main.js exited with ${child.exitCode}: ${stderr}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return { child, readyMs: performance.now() - started, port, stderr: () => stderr }
    } catch {
      // not listening yet
    }
    await sleep(5)
  }
  child.kill()
  throw new Error(`main.js not ready after 60 s: ${stderr}`)
}

async function stop(started: Started): Promise<number> {
  const peak = highWaterMb(started.child.pid!)
  started.child.kill('SIGTERM')
  await new Promise((resolve) => started.child.once('exit', resolve))
  return round(peak)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface LoadFigures {
  requests: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  /** Requests that got no answer, or not the answer expected (an /ask reply, type 4). */
  failures: number
}

interface ModeFigures {
  coldStartMs: number
  coldStartRuns: number[]
  throughput: LoadFigures
  fixedRate: LoadFigures & { rate: number }
  peakRssMb: number
}

let userCounter = 0
const user = () => `15${String(++userCounter).padStart(16, '0')}`

// ---- HTTP mode: autocannon against POST /interactions ----

async function httpLoad(port: number, questions: string[], privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'], overallRate?: number): Promise<LoadFigures> {
  let q = 0
  let wrong = 0
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: overallRate ? Math.max(4, Math.ceil(overallRate / 50)) : connections,
    duration: durationS,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/interactions',
        setupRequest: (request) => {
          const body = JSON.stringify(chatInput('ask', { question: questions[q++ % questions.length]! }, { userId: user() }))
          return { ...request, body, headers: { 'content-type': 'application/json', ...signatureHeaders(privateKey, body) } }
        },
        onResponse: (status, body) => {
          if (status !== 200 || !body.startsWith('{"type":4')) wrong++
        },
      },
    ],
  })
  return {
    requests: result.requests.total,
    perSecond: round(result.requests.total / durationS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: wrong + result.errors + result.timeouts,
  }
}

/** Starts the bot `coldRuns` times, each timed to ready, and keeps the last one running for the load. */
async function coldStarts(modeEnv: Record<string, string>): Promise<{ bot: Started; colds: number[] }> {
  const colds: number[] = []
  for (let i = 0; i < coldRuns - 1; i++) {
    const s = await startMain(modeEnv)
    colds.push(s.readyMs)
    await stop(s)
  }
  const bot = await startMain(modeEnv)
  colds.push(bot.readyMs)
  return { bot, colds }
}

async function httpMode(env: Record<string, string>, questions: string[]): Promise<ModeFigures> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const keyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex')
  const { bot, colds } = await coldStarts({ ...env, INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: keyHex })
  progress(`http: cold start to ready ${colds.map((c) => Math.round(c)).join(', ')} ms; loading for ${durationS} s with ${connections} connections`)
  await httpLoad(bot.port, questions, privateKey, 100) // warm-up, not reported
  const throughput = await httpLoad(bot.port, questions, privateKey)
  progress(`http: ${throughput.perSecond}/s, p50 ${throughput.p50Ms} ms, p99 ${throughput.p99Ms} ms; now ${rate}/s`)
  const fixedRate = { ...(await httpLoad(bot.port, questions, privateKey, rate)), rate }
  return { coldStartMs: round(median(colds)), coldStartRuns: colds.map(round), throughput, fixedRate, peakRssMb: await stop(bot) }
}

// ---- Gateway mode: interactions over the fake Discord's gateway ----

async function gatewayLoad(fake: FakeDiscord, questions: string[], overallRate?: number): Promise<LoadFigures> {
  const latencies: number[] = []
  let failures = 0
  let q = 0
  const deadline = performance.now() + durationS * 1000
  const one = async () => {
    const payload = chatInput('ask', { question: questions[q++ % questions.length]! }, { userId: user() })
    const sent = performance.now()
    try {
      const callback = await fake.interact(payload, { timeoutMs: 10_000 })
      latencies.push(performance.now() - sent)
      if (callback.body?.type !== 4) failures++
    } catch {
      failures++
    }
    // The fake keeps every request; drop this one's so that a long run does not grow the bench process.
    fake.interactions.delete(payload.token)
  }
  if (overallRate) {
    const inFlight: Promise<void>[] = []
    for (let i = 0; performance.now() < deadline; i++) {
      inFlight.push(one())
      const due = (i + 1) * (1000 / overallRate) - (performance.now() - (deadline - durationS * 1000))
      if (due > 0) await sleep(due)
    }
    await Promise.all(inFlight)
  } else {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) await one()
      }),
    )
  }
  const sorted = [...latencies].sort((a, b) => a - b)
  return { requests: latencies.length, perSecond: round(latencies.length / durationS), p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), failures }
}

async function gatewayMode(env: Record<string, string>, questions: string[]): Promise<ModeFigures> {
  const fake = await startFakeDiscord({ timeoutMs: 10_000 })
  try {
    const { bot, colds } = await coldStarts({ ...env, DISCORD_TOKEN: 'bench-token', DISCORD_API_URL: fake.apiUrl })
    progress(`gateway: cold start to ready ${colds.map((c) => Math.round(c)).join(', ')} ms; loading for ${durationS} s with ${connections} in flight`)
    await gatewayLoad(fake, questions, 100)
    const throughput = await gatewayLoad(fake, questions)
    progress(`gateway: ${throughput.perSecond}/s, p50 ${throughput.p50Ms} ms, p99 ${throughput.p99Ms} ms; now ${rate}/s`)
    const fixedRate = { ...(await gatewayLoad(fake, questions, rate)), rate }
    return { coldStartMs: round(median(colds)), coldStartRuns: colds.map(round), throughput, fixedRate, peakRssMb: await stop(bot) }
  } finally {
    await fake.close()
  }
}

// ---- The run ----

const scratch = await mkdtemp(path.join(os.tmpdir(), 'coursebot-bench-http-'))
try {
  progress('compiling (npm run build): the measured processes run compiled JavaScript, as the image does')
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' })
  const base = await loadBenchBase({ queryCount: 500, warmupCount: 0 })
  const baseFile = path.join(scratch, 'base.json')
  await writeFile(baseFile, JSON.stringify(base))
  progress(`storing a ${size}-passage index (the benchmark worker, a short search pass)`)
  const out = path.join(scratch, 'worker.json')
  execFileSync(
    process.execPath,
    ['--expose-gc', WORKER, '--base', baseFile, '--size', String(size), '--engine', 'ours', '--out', out, '--persist-dir', path.join(scratch, 'persist'), '--budget-s', '3'],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  const worker = JSON.parse(await readFile(out, 'utf8')) as WorkerResult
  if (!worker.persist?.env || worker.persist.error) fail(`could not store the index: ${worker.persist?.error ?? 'no index written'}`)
  const env = worker.persist.env
  const questions = base.queries.timed
  const http = await httpMode(env, questions)
  const gateway = values['no-gateway'] ? undefined : await gatewayMode(env, questions)
  const results = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', node: process.version, loadAverage: os.loadavg().map(round) },
    passages: worker.passages,
    questions: questions.length,
    durationS,
    connections,
    searchInProcess: { p50Ms: worker.ask.p50Ms, p99Ms: worker.ask.p99Ms },
    http,
    gateway,
  }
  if (values.json) {
    console.log(JSON.stringify(results))
  } else {
    const row = (name: string, m: ModeFigures | undefined) =>
      m
        ? `| ${name} | ${m.throughput.perSecond} | ${m.throughput.p50Ms} / ${m.throughput.p99Ms} | ${m.fixedRate.perSecond} | ${m.fixedRate.p50Ms} / ${m.fixedRate.p99Ms} | ${m.coldStartMs} | ${m.peakRssMb} | ${m.throughput.failures + m.fixedRate.failures} |`
        : `| ${name} | – | – | – | – | – | – | – |`
    console.log(`${worker.passages} passages, ${durationS} s per load, ${connections} in flight; load average ${results.machine.loadAverage.join(' ')} on ${results.machine.cpus} cores`)
    console.log(`| mode | /ask per s (max) | p50 / p99 ms | per s at ${rate}/s | p50 / p99 ms | cold start to ready ms | peak RSS MB | failures |`)
    console.log('|---|---|---|---|---|---|---|---|')
    console.log(row('HTTP (signed POST /interactions)', http))
    console.log(row('gateway (fake Discord)', gateway))
    console.log(`search alone, in process: p50 ${worker.ask.p50Ms} ms, p99 ${worker.ask.p99Ms} ms`)
  }
} finally {
  await rm(scratch, { recursive: true, force: true })
}
