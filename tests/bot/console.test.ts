// `npm start` without DISCORD_TOKEN: console mode, run as a child process the way an operator or a script runs it.
import { spawn } from 'node:child_process'
import { PassThrough, Readable } from 'node:stream'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { runConsole } from '../../src/bot/console.js'
import { Dispatcher } from '../../src/bot/dispatcher.js'
import { ConfigError, loadBotConfig } from '../../src/config.js'
import type { Library } from '../../src/library/library.js'
import type { Locale } from '../../src/render/strings.js'
import type { MessagePayload } from '../../src/render/payload.js'
import { chatInput, startFakeDiscord, type FakeDiscord } from '../support/fake-discord.js'
import { REPO_ROOT, seedLibrary, valid } from './helpers.js'

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

let tmp: string
let noEnvFile: string

/** Spawns `tsx src/main.ts` (what `npm start` runs) with only the variables given, feeding `input` on stdin. */
function start(args: string[], env: Record<string, string>, input?: string) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DISCORD_|ASK_COOLDOWN_|CONSOLE_JSON|LOG_LEVEL|INDEX_PATH|CORPUS_DIR|COURSE_BASE_URL|DOCS_BASE_URL|HTTP_PORT|SHARD_COUNT|SHARDING_MANAGER|DOTENV_)/.test(k)),
  ) as Record<string, string>
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: REPO_ROOT,
    // A temp index so data/ is never touched, and no .env from the working tree unless a test names one.
    env: { ...base, INDEX_PATH: path.join(tmp, 'library.json'), DOTENV_CONFIG_PATH: noEnvFile, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  if (input !== undefined) child.stdin.end(input)
  const done = new Promise<Run>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, done, output: () => ({ stdout, stderr }) }
}

const LINES = ['/ask 为什么需要 Pod', '1', '/toc 2', '/chapter 13', '/help'].join('\n') + '\n'
const TOKEN = 'MTEwMDAw.secret-token-value.abcdef'
/** Child processes spend seconds loading modules: every run starts at once, and each test awaits its own. */
const SLOW = 60_000

let fake: FakeDiscord
let text: Promise<Run>
let json: Promise<Run>
let badSetting: Promise<Run>
let online: ReturnType<typeof start>

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'bot-console-'))
  noEnvFile = path.join(tmp, 'none.env')
  // A bad setting in a .env file: this also shows that .env is read.
  const envFile = path.join(tmp, 'bad.env')
  await writeFile(envFile, 'LOG_LEVEL=warn\nDISCORD_CLIENT_ID=xyz\n')
  fake = await startFakeDiscord({ timeoutMs: SLOW })
  text = start([], { LOG_LEVEL: 'info' }, LINES).done
  json = start(['--json'], { LOG_LEVEL: 'info' }, LINES).done
  badSetting = start([], { DOTENV_CONFIG_PATH: envFile }, '/help\n').done
  online = start([], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'debug' })
})

afterAll(async () => {
  online?.child.kill('SIGKILL')
  await Promise.allSettled([text, json, badSetting, online?.done])
  await fake?.close()
  await rm(tmp, { recursive: true, force: true })
})

describe('console mode (npm start without DISCORD_TOKEN)', () => {
  it('answers piped commands as text, presses button 1, and exits 0 at end of input', { timeout: SLOW }, async () => {
    const run = await text
    expect(run.stderr).not.toMatch(/Error|at .*\(/)
    expect(run.code).toBe(0)
    const out = run.stdout
    // /ask, then "1" pressed 更多结果 on it.
    expect(out).toMatch(/== 第 1–3 条答案（共 \d+ 条） ==/)
    expect(out).toMatch(/== 第 4–6 条答案（共 \d+ 条） ==/)
    expect(out).toContain('[1] ➡️ 更多结果  [2] 👍 有帮助  [3] 👎 没帮助')
    expect(out).toContain('(❓ 为什么需要 Pod)')
    expect(out).toContain('https://learn.lianglianglee.com/')
    // /toc 2, /chapter 13 (ambiguous: asks which course), /help.
    expect(out).toContain('== 课程目录 · 第 2/8 页 ==')
    expect(out).toContain('两门课都有「13」，你想看哪一门？')
    // In the stated course order (COURSE_ORDER), not by file name.
    expect(out).toMatch(/\[1\] 深入剖析Kubernetes · 13 为什么我们需要Pod？\s+\[2\] Kubernetes 从上手到实践 · 13 庖丁解牛：etcd/)
    expect(out).toContain('== 课程问答机器人 · 使用说明 ==')
    // In that order, and no markdown escapes or zero-width spaces leak to the terminal.
    const order = ['第 1–3 条答案', '第 4–6 条答案', '课程目录 · 第 2/8 页', '两门课都有「13」', '课程问答机器人']
    const at = order.map((s) => out.indexOf(s))
    expect(at).toEqual([...at].sort((a, b) => a - b))
    expect(out).not.toContain('\u200b')
    // Logs go to stderr as pino JSON, never into the replies.
    const logs = run.stderr.trim().split('\n').filter(Boolean)
    expect(logs.length).toBeGreaterThan(0)
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow()
    expect(out).not.toContain('"level"')
  })

  it('with --json prints each reply as one JSON line of its Discord payload', { timeout: SLOW }, async () => {
    const run = await json
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(5)
    const payloads = lines.map((l) => JSON.parse(l) as MessagePayload)
    for (const p of payloads) {
      valid(p)
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['embeds', 'components', 'allowed_mentions']))
      expect(p.allowed_mentions).toEqual({ parse: [] })
    }
    const [ask, more, toc, chapter, help] = payloads as [MessagePayload, MessagePayload, MessagePayload, MessagePayload, MessagePayload]
    expect(ask.embeds[0]!.title).toMatch(/^第 1–3 条答案/)
    expect(ask.embeds[0]!.footer?.text).toBe('❓ 为什么需要 Pod')
    expect(more.embeds[0]!.title).toMatch(/^第 4–6 条答案/)
    expect(toc.embeds[0]!.title).toBe('课程目录 · 第 2/8 页')
    expect(chapter.content).toBe('两门课都有「13」，你想看哪一门？')
    expect(chapter.components[0]!.components).toHaveLength(2)
    expect(help.flags).toBe(64)
    expect(help.embeds[0]!.title).toBe('课程问答机器人 · 使用说明')
  })

  it('prints one line naming a bad setting from .env (DISCORD_CLIENT_ID=xyz) and exits 2', { timeout: SLOW }, async () => {
    const run = await badSetting
    expect(run.code).toBe(2)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('DISCORD_CLIENT_ID')
    expect(lines[0]).toContain('xyz')
    expect(run.stdout).toBe('')
  })

  // The same check as in the child above, for more variables, in-process (each child costs seconds).
  it('names the variable in one line for every kind of bad setting', () => {
    const cases: Record<string, string>[] = [
      { ASK_COOLDOWN_USES: 'abc' },
      { ASK_COOLDOWN_USES: '0' },
      { ASK_COOLDOWN_SECONDS: '-5' },
      { DISCORD_GUILD_ID: '12' },
      { DISCORD_TOKEN: 'two words' },
      { DISCORD_API_URL: 'ftp://127.0.0.1/api' },
      { LOG_LEVEL: 'loud' },
      { COURSE_BASE_URL: 'not a url' },
      { HTTP_PORT: '70000' },
      { SHARD_COUNT: 'many' },
    ]
    for (const env of cases) {
      const [name] = Object.keys(env) as [string]
      let error: unknown
      try {
        loadBotConfig(env)
      } catch (e) {
        error = e
      }
      expect(error, name).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).variable).toBe(name)
      expect((error as ConfigError).message.startsWith(`${name}: `)).toBe(true)
      expect((error as ConfigError).message).not.toContain('\n')
    }
    expect(loadBotConfig({}).askCooldown).toEqual({ uses: 5, perSeconds: 30 })
    expect(loadBotConfig({}).token).toBeUndefined()
    expect(loadBotConfig({ CONSOLE_JSON: '1' }).consoleJson).toBe(true)
    expect(loadBotConfig({ ASK_COOLDOWN_USES: '2', ASK_COOLDOWN_SECONDS: '60' }).askCooldown).toEqual({ uses: 2, perSeconds: 60 })
  })

  it('documents every variable the configuration reads in .env.example', async () => {
    const source = await readFile(path.join(REPO_ROOT, 'src', 'config.ts'), 'utf8')
    const read = new Set([...source.matchAll(/env,\s*'([A-Z][A-Z0-9_]+)'|env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] ?? m[2]!))
    expect(read.size).toBeGreaterThan(5)
    const example = await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8')
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!))
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([])
  })
})

describe('runConsole in-process', () => {
  let library: Library

  beforeAll(async () => {
    library = await seedLibrary()
  })

  async function console_(lines: string[], options: { json?: boolean; locale?: Locale } = {}): Promise<string> {
    const dispatcher = new Dispatcher({ library, logger: pino({ level: 'silent' }), askCooldown: { uses: 5, perSeconds: 30 } })
    const output = new PassThrough()
    let printed = ''
    output.setEncoding('utf8').on('data', (d: string) => (printed += d))
    await runConsole({ dispatcher, logger: pino({ level: 'silent' }), json: options.json ?? false, locale: options.locale ?? 'zh-CN', input: Readable.from([lines.join('\n') + '\n']), output })
    return printed
  }

  it('speaks English with locale en, and prints JSON lines with json', async () => {
    const out = await console_(['/toc', '2', '/chapter 13'], { json: true, locale: 'en' })
    const [toc, next, chapter] = out.trim().split('\n').map((l) => valid(JSON.parse(l) as MessagePayload))
    expect(toc!.embeds[0]!.title).toBe('Course contents · page 1/8')
    expect(next!.embeds[0]!.title).toBe('Course contents · page 2/8')
    expect(chapter!.content).toBe('Both courses have “13”. Which one do you mean?')
  })

  it('takes options, presses buttons by number, lists suggestions with "?", and explains mistakes', async () => {
    const out = await console_(['/ask 为什么需要 Pod course:上手 private:true', '9', '/chapter 13 course:深入剖析', '2', 'hello', '?pod', '/nope'])
    expect(out).toMatch(/== 第 1–\d 条答案（共 \d+ 条） ==/)
    expect(out).toContain('(only you can see this)')
    expect(out.slice(0, out.indexOf('No button 9'))).not.toContain('深入剖析Kubernetes ·') // the ask was narrowed to 上手
    expect(out).toContain('No button 9 on the last reply.')
    expect(out).toContain('== 深入剖析Kubernetes · 13 为什么我们需要Pod？ ==')
    expect(out).toContain('== 深入剖析Kubernetes · 14 深入解析Pod对象（一）：基本概念 ==') // button 2 = next chapter
    expect(out).toContain('Commands start with "/": try /help.')
    expect(out).toContain('• 为什么我们需要Pod？')
    expect(out).toContain('== 课程问答机器人 · 使用说明 ==') // an unknown command shows help
  })

  it('stops at "quit"', async () => {
    const out = await console_(['/help', 'quit', '/toc'])
    expect(out).toContain('使用说明')
    expect(out).not.toContain('课程目录')
  })
})

describe('npm start with DISCORD_TOKEN', () => {
  it('logs in to Discord, answers, shuts down on SIGTERM with exit 0, and never logs the token', { timeout: SLOW }, async () => {
    await fake.whenShardReady(0, SLOW)
    expect(fake.identifies[0]).toMatchObject({ token: TOKEN })
    const callback = await fake.interact(chatInput('toc'), { timeoutMs: 10_000 })
    expect(callback.body.type).toBe(4)
    expect(callback.body.data.embeds[0].title).toBe('课程目录 · 第 1/8 页')
    // Wait for the "logged in" line, then stop the bot as an operator would.
    for (let i = 0; i < 200 && !online.output().stderr.includes('logged in to Discord'); i++) await new Promise((r) => setTimeout(r, 50))
    online.child.kill('SIGTERM')
    const run = await online.done
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('logged in to Discord')
    expect(run.stderr).toContain('shutting down')
    expect(run.stderr).not.toContain(TOKEN)
    expect(run.stdout).not.toContain(TOKEN)
  })

  it('redacts the token in log lines (createLogger)', async () => {
    const token = 'MTEwMDAw.redact-me.abcdef'
    const script = `import { createLogger } from './src/log.ts'
const log = createLogger('info')
log.info({ token: process.env.T, config: { token: process.env.T }, DISCORD_TOKEN: process.env.T, headers: { authorization: 'Bot ' + process.env.T } }, 'settings')
log.info({ request: { headers: { authorization: 'Bot ' + process.env.T } } }, 'request')`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env: { ...process.env, T: token } })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)
    expect(lines[0]).toMatchObject({ msg: 'settings', token: '[redacted]', config: { token: '[redacted]' }, DISCORD_TOKEN: '[redacted]' })
    expect(lines[1]!.msg).toBe('request')
    expect(stderr).not.toContain(token)
  })

  it('writes readable lines on a terminal, still redacted', async () => {
    const token = 'MTEwMDAw.pretty-redact.abcdef'
    const script = `import { createLogger } from './src/log.ts'
const log = createLogger('info', true)
log.info({ token: process.env.T }, 'settings loaded')`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env: { ...process.env, T: token } })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    expect(stderr).toContain('settings loaded')
    expect(stderr).toContain('[redacted]')
    expect(() => JSON.parse(stderr.trim().split('\n')[0]!)).toThrow()
    expect(stderr).not.toContain(token)
  })
})
