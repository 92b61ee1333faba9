// Cold start: a fresh `node dist/scripts/ask.js --json` (compiled, with the bot's V8 flags, as the Docker image runs) answering one question
// from stdin against a stored index. (ask runs the bot's start-up path: config → loadLibrary → restore → search,
// without discord.js.)
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { PROJECT_ROOT } from '../config.js'
import { NODE_FLAGS } from '../ops/node-flags.js'
import { round } from './stats.js'

export interface ColdRun {
  /** Spawn until the answer line is on stdout. */
  answerMs: number
  /** Spawn until the process has exited. */
  exitMs: number
  /** Highest VmHWM of the process and any children, sampled every 50 ms. */
  peakRssMb: number | null
  hits: number
  /** ask.ts rebuilt the index instead of loading it: the figure does not measure a load. */
  rebuilt: boolean
  exitCode: number | null
  error?: string
}

export interface ColdStartFigures {
  runs: ColdRun[]
  /** Median over the runs. */
  answerMs: number
  exitMs: number
  peakRssMb: number | null
  ok: boolean
}

function childrenOf(root: number): number[] {
  const parent = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parent.set(Number(entry), ppid)
    } catch {
      // gone already
    }
  }
  const tree = [root]
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, ppid] of parent) {
      if (tree.includes(ppid) && !tree.includes(pid)) {
        tree.push(pid)
        grew = true
      }
    }
  }
  return tree
}

export function highWaterMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Number(kb) / 1024 : 0
  } catch {
    return 0
  }
}

/** One cold start: `node` with the bot's flags and `args` (a compiled script and its options), from PROJECT_ROOT. */
export function coldRun(env: Record<string, string>, question: string, args: string[]): Promise<ColdRun> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(process.execPath, [...NODE_FLAGS, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let answerMs = NaN
    let peak = 0
    const canWatch = process.platform === 'linux'
    const watch = canWatch
      ? setInterval(() => {
          if (child.pid === undefined) return
          for (const pid of childrenOf(child.pid)) peak = Math.max(peak, highWaterMb(pid))
        }, 50)
      : undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
      if (Number.isNaN(answerMs) && stdout.includes('\n')) answerMs = performance.now() - started
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    child.on('error', (error) => {
      if (watch) clearInterval(watch)
      resolve({ answerMs: NaN, exitMs: NaN, peakRssMb: null, hits: 0, rebuilt: false, exitCode: null, error: error.message })
    })
    child.on('close', (code) => {
      const exitMs = performance.now() - started
      if (watch) clearInterval(watch)
      let hits = 0
      try {
        hits = (JSON.parse(stdout.split('\n')[0] ?? '') as { hits?: unknown[] }).hits?.length ?? 0
      } catch {
        // not an answer line
      }
      const rebuilt = /index rebuilt/.test(stderr)
      const error = code !== 0 ? stderr.trim().split('\n').slice(-3).join(' | ') : rebuilt ? stderr.trim().split('\n')[0] : undefined
      resolve({ answerMs: round(answerMs), exitMs: round(exitMs), peakRssMb: canWatch ? round(peak) : null, hits, rebuilt, exitCode: code, ...(error ? { error } : {}) })
    })
    child.stdin.end(`${question}\n`)
  })
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!
}

export async function coldStart(env: Record<string, string>, question: string, runs: number, askScript: string): Promise<ColdStartFigures> {
  const all: ColdRun[] = []
  for (let i = 0; i < runs; i++) all.push(await coldRun(env, question, [askScript, '--json']))
  const ok = all.every((r) => r.exitCode === 0 && !r.rebuilt && r.hits > 0)
  const peaks = all.map((r) => r.peakRssMb).filter((x): x is number => x !== null)
  return {
    runs: all,
    answerMs: round(median(all.map((r) => r.answerMs))),
    exitMs: round(median(all.map((r) => r.exitMs))),
    peakRssMb: peaks.length > 0 ? round(Math.max(...peaks)) : null,
    ok,
  }
}
