// Console mode and the library scripts start without discord.js, which costs half a second and 40 MB to load,
// and answering from a built index without pinyin-pro (16 MB, and 200 ms to read the vocabulary's sounds).
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
let tmp: string
let preload: string
let esmHooks: string

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'light-start-'))
  preload = path.join(tmp, 'report-discord.cjs')
  // discord.js and discord-api-types are CommonJS: imported from ESM, their files still enter the CommonJS module cache.
  await writeFile(
    preload,
    `process.on('exit', () => { for (const name of ['discord.js', 'discord-api-types']) { const n = Object.keys(require.cache).filter((k) => k.includes('/node_modules/' + name + '/')).length; process.stderr.write(name + ' modules loaded: ' + n + '\\n') } })\n`,
  )
  // pinyin-pro is imported as ESM: a module hook (Node's documented module.register) reports each of its files
  // as it loads, written straight to stderr since hooks may run on their own thread.
  const hooks = path.join(tmp, 'report-pinyin-hooks.mjs')
  await writeFile(
    hooks,
    `import { writeSync } from 'node:fs'\nexport async function load(url, context, next) { if (/[\\\\/]node_modules[\\\\/]pinyin-pro[\\\\/]/.test(url)) writeSync(2, 'pinyin-pro module loaded: ' + url + '\\n'); return next(url, context) }\n`,
  )
  esmHooks = path.join(tmp, 'register-hooks.mjs')
  await writeFile(esmHooks, `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`)
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

function run(args: string[], input: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|INTERACTIONS|HTTP_PORT|SHARD_COUNT|INDEX_PATH|DOTENV_)/.test(k)))
  const child = spawn(process.execPath, ['--require', preload, '--import', pathToFileURL(esmHooks).href, ...args], {
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

const loadedCount = (stderr: string, name = 'discord.js') => Number(new RegExp(`${name.replace('.', '\\.')} modules loaded: (\\d+)`).exec(stderr)?.[1])
const loadsPinyin = (stderr: string) => stderr.includes('pinyin-pro module loaded')

describe('a light start', () => {
  it('sees discord.js when it is loaded (the check itself works)', { timeout: 30_000 }, async () => {
    const { stderr } = await run(['--input-type=module', '-e', "await import('discord.js')"], '')
    expect(loadedCount(stderr)).toBeGreaterThan(10)
    expect(loadedCount(stderr, 'discord-api-types')).toBeGreaterThan(10)
  })

  it('sees pinyin-pro when it is loaded (the check itself works)', { timeout: 30_000 }, async () => {
    const { stderr } = await run(['--input-type=module', '-e', "await import('pinyin-pro')"], '')
    expect(loadsPinyin(stderr)).toBe(true)
  })

  it('console mode answers without loading discord.js, or discord-api-types (whose enums it needs only as types)', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await run(['--import', 'tsx', 'src/main.ts'], '/ask 为什么需要 Pod\n')
    expect(code).toBe(0)
    expect(stdout).toContain('Pod')
    expect(loadedCount(stderr)).toBe(0)
    expect(loadedCount(stderr, 'discord-api-types')).toBe(0)
  })

  it('scripts/ask.ts answers without loading discord.js', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await run(['--import', 'tsx', 'scripts/ask.ts', '--json'], '为什么需要 Pod\n')
    expect(code).toBe(0)
    expect(stdout).toContain('Pod')
    expect(loadedCount(stderr)).toBe(0)
  })

  it('builds the index with pinyin-pro, then answers from it without loading pinyin-pro, typos corrected', { timeout: 60_000 }, async () => {
    const env = { INDEX_PATH: path.join(tmp, 'pinyin.idx') }
    const built = await run(['--import', 'tsx', 'scripts/ask.ts', '--json'], '为什么需要 Pod\n', env)
    expect(built.code).toBe(0)
    expect(loadsPinyin(built.stderr)).toBe(true)
    // 声名式 sounds like 声明式, a term of the seed chapters' titles: heard, it is answered as the term itself is,
    // and not as the question without it.
    const answered = await run(['--import', 'tsx', 'scripts/ask.ts', '--json'], '声名式 API 是什么\n声明式 API 是什么\nAPI 是什么\n', env)
    expect(answered.code).toBe(0)
    const [typo, spelt, without] = answered.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { hits: { text: string }[] }).hits.map((h) => h.text))
    expect(typo).toEqual(spelt)
    expect(typo).not.toEqual(without)
    expect(loadsPinyin(answered.stderr)).toBe(false)
  })
})
