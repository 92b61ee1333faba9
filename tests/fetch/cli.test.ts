import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { TocEntry } from '../../src/corpus/types.js'
import { run } from './support/run.js'
import {
  buildSite,
  listFiles,
  makeTempCorpus,
  readSeed,
  SHANGSHOU,
  SHANGSHOU_SEED,
  startSite,
  type Responder,
  type Site,
} from './support/site.js'

/** The fetcher as one process (no npx wrapper), so a signal reaches it directly. */
const fetcher = (args: string[], env: Record<string, string>, onStart?: (child: ChildProcess) => void) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/fetch-course.ts', ...args], env, onStart)

let site: Site
beforeAll(() => {
  site = buildSite([readSeed(SHANGSHOU_SEED)])
})

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const entry = (course: string, position: number): TocEntry => site.entries.find((e) => e.course === course && e.position === position)!

describe('fetch-course CLI: signals and exit codes', () => {
  it('on Ctrl-C keeps only complete chapters and exits 130; a re-run fetches the rest, and a 404 makes it exit 1', async () => {
    const stalled = entry(SHANGSHOU, 5)
    const missing = entry(SHANGSHOU, 7)
    let stall = true
    let reached: () => void = () => {}
    const stalledReached = new Promise<void>((resolve) => (reached = resolve))
    const special = new Map<string, Responder>([
      [stalled.path, () => stall && (reached(), true)],
      [missing.path, (res) => !stall && (res.writeHead(404).end(), true)],
    ])
    const server = await startSite(site.pages, special)
    const { out, root, cleanup } = makeTempCorpus({ [SHANGSHOU_SEED]: readSeed(SHANGSHOU_SEED) })
    cleanups.push(() => server.close(), cleanup)
    const args = ['--base-url', server.url, '--out', out, '--concurrency', '1', '--delay-ms', '0']

    const interrupted = await fetcher(args, { CORPUS_DIR: out }, (child) => void stalledReached.then(() => child.kill('SIGINT')))
    expect(interrupted.code).toBe(130)
    expect(interrupted.stdout).toContain('interrupted: 19 chapters not fetched; run the same command again to fetch the rest')
    const saved = listFiles(out).filter((f) => f.startsWith('fetched/'))
    expect(saved.map((f) => path.basename(f).slice(0, 3))).toEqual(['01-', '02-', '03-', '04-'])
    for (const file of saved) expect(readFileSync(path.join(out, file), 'utf8')).toMatch(/<\/html>\s*$/)
    expect(listFiles(root).filter((f) => f.includes('.tmp'))).toEqual([])

    stall = false
    const resumed = await fetcher(args, { CORPUS_DIR: out })
    expect(resumed.stdout).toMatch(/^fetched 18, skipped 5, failed 1 in /)
    expect(resumed.stdout).toContain(`failed:\n  ${SHANGSHOU} › ${missing.title}: HTTP 404 Not Found`)
    expect(resumed.code).toBe(1)
    expect(listFiles(out).filter((f) => f.startsWith('fetched/'))).toHaveLength(22)
    expect(server.count(entry(SHANGSHOU, 1).path)).toBe(1)
  }, 60_000)

  it('rejects a bad option with a message and exit code 2', async () => {
    const bad = await fetcher(['--concurrency', '0'], {})
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^--concurrency: "0" must be a whole number from 1 to 8\n\nUsage: npm run fetch-course/)
  })
})
