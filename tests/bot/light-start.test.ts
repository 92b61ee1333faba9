// Console mode and the library scripts start without discord.js, which costs half a second and 40 MB to load.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
let tmp: string
let preload: string

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'light-start-'))
  preload = path.join(tmp, 'report-discord.cjs')
  // discord.js is CommonJS: imported from ESM, its files still enter the CommonJS module cache.
  await writeFile(
    preload,
    `process.on('exit', () => { const n = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]discord\\.js[\\\\/]/.test(k)).length; process.stderr.write('discord.js modules loaded: ' + n + '\\n') })\n`,
  )
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

function run(args: string[], input: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|INTERACTIONS|HTTP_PORT|SHARD_COUNT|INDEX_PATH|DOTENV_)/.test(k)))
  const child = spawn(process.execPath, ['--require', preload, ...args], {
    cwd: ROOT,
    env: { ...clean, INDEX_PATH: path.join(tmp, 'library.idx'), DOTENV_CONFIG_PATH: path.join(tmp, 'no.env'), ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin.end(input)
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

const loadedCount = (stderr: string) => Number(/discord\.js modules loaded: (\d+)/.exec(stderr)?.[1])

describe('a light start', () => {
  it('sees discord.js when it is loaded (the check itself works)', { timeout: 30_000 }, async () => {
    const { stderr } = await run(['--input-type=module', '-e', "await import('discord.js')"], '')
    expect(loadedCount(stderr)).toBeGreaterThan(10)
  })

  it('console mode answers without loading discord.js', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await run(['--import', 'tsx', 'src/main.ts'], '/ask 为什么需要 Pod\n')
    expect(code).toBe(0)
    expect(stdout).toContain('Pod')
    expect(loadedCount(stderr)).toBe(0)
  })

  it('scripts/ask.ts answers without loading discord.js', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await run(['--import', 'tsx', 'scripts/ask.ts', '--json'], '为什么需要 Pod\n')
    expect(code).toBe(0)
    expect(stdout).toContain('Pod')
    expect(loadedCount(stderr)).toBe(0)
  })
})
