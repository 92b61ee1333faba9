// End to end: the real bot (discord.js client + dispatcher + library) against the local fake Discord.
import { execFile } from 'node:child_process'
import path from 'node:path'
import type { Client } from 'discord.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Dispatcher } from '../../src/bot/dispatcher.js'
import { startDiscordBot } from '../../src/bot/discord.js'
import type { Library } from '../../src/library/library.js'
import type { MessagePayload } from '../../src/render/payload.js'
import { strings } from '../../src/render/strings.js'
import {
  DEFAULT_APP_ID,
  DEFAULT_GUILD_ID,
  autocomplete,
  button,
  chatInput,
  startFakeDiscord,
  trapUnhandledRejections,
  type FakeDiscord,
  type InteractionPayload,
  type RecordedRequest,
  type RejectionTrap,
} from '../support/fake-discord.js'
import { REPO_ROOT, SHANGSHOU, SHENRU, buttonWith, buttonsOf, hitBlocks, hostileQuestion, recordingLogger, seedLibrary, valid, validChoices } from './helpers.js'

const TOKEN = 'fake-token'

let library: Library
let fake: FakeDiscord
let client: Client
let trap: RejectionTrap
const log = recordingLogger()

/** A fresh user per test, so the /ask cooldown of one test never touches another. */
let userCounter = 0
const nextUser = () => `13000000000000${String(++userCounter).padStart(5, '0')}`

beforeAll(async () => {
  trap = trapUnhandledRejections()
  ;[library, fake] = await Promise.all([seedLibrary(), startFakeDiscord()])
  const dispatcher = new Dispatcher({ library, logger: log.logger, askCooldown: { uses: 5, perSeconds: 30 } })
  // startDiscordBot resolves on clientReady: only then are interactions injected.
  client = await startDiscordBot({ token: TOKEN, dispatcher, logger: log.logger, api: fake.apiUrl })
})

afterEach(() => {
  trap.assertNone()
})

afterAll(async () => {
  await client?.destroy()
  await fake?.close()
  trap?.dispose()
  // The token never reaches the logs.
  expect(log.raw.join('\n')).not.toContain(TOKEN)
})

/** The message data of a callback (type 4 reply or 7 update), checked against Discord's limits. */
function dataOf(callback: RecordedRequest, type: 4 | 7): MessagePayload {
  expect(callback.body.type).toBe(type)
  const data = callback.body.data as MessagePayload
  expect(data.allowed_mentions).toEqual({ parse: [] })
  return valid(data)
}

/** Clicks a button of a message the bot sent (its callback data). */
function click(customId: string, on: MessagePayload, extra: Parameters<typeof button>[2] = {}): InteractionPayload {
  return button(customId, { embeds: on.embeds, components: on.components as never, content: on.content ?? '' }, extra)
}

function runScript(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DISCORD_'))) as Record<string, string>
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script],
      // No .env from the working tree: only what the test sets.
      { cwd: REPO_ROOT, env: { ...base, DOTENV_CONFIG_PATH: path.join(REPO_ROOT, 'tests', 'bot', 'no-such.env'), ...env }, timeout: 45_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
}

describe('the bot on a fake Discord', () => {
  it('logged in through the fake REST and gateway', () => {
    expect(client.isReady()).toBe(true)
    expect(fake.identifies).toHaveLength(1)
    expect(fake.identifies[0]).toMatchObject({ token: TOKEN })
    expect(log.lines.some((l) => l.msg === 'logged in to Discord')).toBe(true)
  })

  describe('command registration (scripts/deploy-commands.ts)', () => {
    const deploy = 'scripts/deploy-commands.ts'
    type Run = Awaited<ReturnType<typeof runScript>>
    let runs: Promise<[Run, Run, Run, Run]>

    beforeAll(() => {
      // The four runs go at once: each child spends most of its time loading discord.js.
      const env = { DISCORD_TOKEN: 'deploy-token', DISCORD_CLIENT_ID: DEFAULT_APP_ID, DISCORD_API_URL: fake.apiUrl }
      runs = Promise.all([
        runScript(deploy, { ...env, DISCORD_GUILD_ID: DEFAULT_GUILD_ID }),
        runScript(deploy, env),
        runScript(deploy, { DISCORD_TOKEN: 'deploy-token-no-client', DISCORD_API_URL: fake.apiUrl }),
        runScript(deploy, { DISCORD_CLIENT_ID: DEFAULT_APP_ID, DISCORD_API_URL: fake.apiUrl }),
      ])
    })

    it('registers ask, toc, chapter and help in a guild and globally, with zh-CN localizations and options', { timeout: 60_000 }, async () => {
      const [guild, global] = await runs
      expect(guild.stderr).toBe('')
      expect(guild.code).toBe(0)
      expect(guild.stdout).toContain(`Registered 4 commands in guild ${DEFAULT_GUILD_ID}`)
      expect(global.code).toBe(0)
      expect(global.stdout).toMatch(/Registered 4 commands globally/)

      expect(fake.commands).toHaveLength(2)
      const guildPut = fake.commands.find((c) => c.scope === 'guild')!
      const globalPut = fake.commands.find((c) => c.scope === 'global')!
      expect(guildPut).toMatchObject({ applicationId: DEFAULT_APP_ID, guildId: DEFAULT_GUILD_ID })
      expect(globalPut).toMatchObject({ applicationId: DEFAULT_APP_ID })
      expect(guildPut.request.headers.authorization).toBe('Bot deploy-token')
      expect(globalPut.body).toEqual(guildPut.body)

      const body = guildPut.body as any[]
      expect(body.map((c) => c.name)).toEqual(['ask', 'toc', 'chapter', 'help'])
      expect(body.map((c) => c.name_localizations['zh-CN'])).toEqual(['提问', '目录', '章节', '帮助'])
      for (const c of body) {
        expect(c.description_localizations['zh-CN']).toBeTruthy()
        for (const o of c.options ?? []) {
          expect(o.name_localizations['zh-CN']).toBeTruthy()
          expect(o.description_localizations['zh-CN']).toBeTruthy()
        }
      }
      const ask = body.find((c) => c.name === 'ask')
      expect(ask.options.map((o: any) => [o.name, o.type, Boolean(o.required)])).toEqual([
        ['question', 3, true],
        ['course', 3, false],
        ['private', 5, false],
      ])
      expect(ask.options[0]).toMatchObject({ autocomplete: true, max_length: 1000 })
      expect(ask.options[1].choices.map((c: any) => c.value).sort()).toEqual([SHANGSHOU, SHENRU].sort())
      const toc = body.find((c) => c.name === 'toc')
      expect(toc.options.map((o: any) => [o.name, o.type])).toEqual([
        ['course', 3],
        ['page', 4],
      ])
      const chapter = body.find((c) => c.name === 'chapter')
      expect(chapter.options.map((o: any) => [o.name, o.type, Boolean(o.required), Boolean(o.autocomplete)])).toEqual([
        ['n', 3, true, true],
        ['course', 3, false, false],
      ])
      expect(body.find((c) => c.name === 'help').options ?? []).toEqual([])
    })

    it('exits 2 with one clear line naming DISCORD_CLIENT_ID or DISCORD_TOKEN when missing', { timeout: 60_000 }, async () => {
      const [, , noClient, noToken] = await runs
      expect(noClient.code).toBe(2)
      expect(noClient.stderr.trim().split('\n')).toHaveLength(1)
      expect(noClient.stderr).toContain('DISCORD_CLIENT_ID')
      expect(noClient.stderr).not.toContain('deploy-token')
      expect(noToken.code).toBe(2)
      expect(noToken.stderr.trim().split('\n')).toHaveLength(1)
      expect(noToken.stderr).toContain('DISCORD_TOKEN')
      // Neither reached Discord.
      expect(fake.requests.filter((r) => r.path.includes('/commands')).map((r) => r.headers.authorization)).toEqual(['Bot deploy-token', 'Bot deploy-token'])
    })
  })

  describe('/ask', () => {
    it('replies (type 4) with an embed of passages and the answer buttons, within 3 s', async () => {
      const payload = chatInput('ask', { question: '为什么需要 Pod' }, { userId: nextUser() })
      const sent = Date.now()
      const callback = await fake.interact(payload)
      expect(callback.time - sent).toBeLessThan(3000)
      const data = dataOf(callback, 4)
      expect(data.flags ?? 0).toBe(0)
      expect(data.embeds).toHaveLength(1)
      expect(data.embeds[0]!.title).toMatch(/^第 1–3 条答案（共 \d+ 条）$/)
      expect(data.embeds[0]!.footer?.text).toBe('❓ 为什么需要 Pod')
      expect(hitBlocks(data.embeds[0]!.description!)).toHaveLength(3)
      expect(buttonsOf(data).map((b) => b.custom_id)).toEqual(['ask:more:3:', 'ask:up:0:', 'ask:down:0:'])
    })

    it('is ephemeral with private:true and narrows with course', async () => {
      const data = dataOf(await fake.interact(chatInput('ask', { question: '为什么需要 Pod', course: SHANGSHOU, private: true }, { userId: nextUser() })), 4)
      expect(data.flags).toBe(64)
      for (const b of hitBlocks(data.embeds[0]!.description!)) expect(b.label.startsWith(`${SHANGSHOU} · `)).toBe(true)
    })

    it('replies kindly when nothing matches', async () => {
      const data = dataOf(await fake.interact(chatInput('ask', { question: '量子纠缠 火锅' }, { userId: nextUser() })), 4)
      expect(data.embeds[0]!.title).toBe('没有找到答案')
      expect(data.embeds[0]!.description).toContain('/toc')
      expect(data.components).toEqual([])
    })

    it('pings nobody and stays within limits for a 1,000-character hostile question', async () => {
      for (const seed of ['量子纠缠火锅 ', '为什么需要 Pod Kubernetes ']) {
        const question = hostileQuestion(1000, seed)
        const callback = await fake.interact(chatInput('ask', { question }, { userId: nextUser() }))
        const data = dataOf(callback, 4)
        expect(callback.body.data.allowed_mentions).toEqual({ parse: [] })
        expect(data.embeds[0]!.description).not.toMatch(/@(everyone|here)|<@&?\d+>/)
        expect(data.embeds[0]!.footer?.text).toBe(`❓ ${question}`)
      }
    })

    it('pages with 更多结果 (type 7 update of the same message)', async () => {
      const user = nextUser()
      const first = dataOf(await fake.interact(chatInput('ask', { question: '为什么需要 Pod' }, { userId: user })), 4)
      const callback = await fake.interact(click(buttonWith(first, '➡️').custom_id, first, { userId: user }))
      const second = dataOf(callback, 7)
      expect(second.embeds[0]!.title).toMatch(/^第 4–6 条答案/)
      expect(second.embeds[0]!.footer?.text).toBe('❓ 为什么需要 Pod')
      const shown = (p: MessagePayload) => hitBlocks(p.embeds[0]!.description!).map((b) => `${b.url}\n${b.body}`)
      expect(shown(second).filter((b) => shown(first).includes(b))).toEqual([])
    })

    it('thanks privately for 👍 / 👎 (type 4, flags 64) and logs the feedback', async () => {
      const user = nextUser()
      const answer = dataOf(await fake.interact(chatInput('ask', { question: '为什么需要 Pod' }, { userId: user })), 4)
      const message = { embeds: answer.embeds, components: answer.components as never }
      const up = button(buttonWith(answer, '👍').custom_id, message, { userId: user })
      const first = dataOf(await fake.interact(up), 4)
      expect(first).toMatchObject({ content: strings('zh-CN').thanks, flags: 64 })
      // The same user on the same message: the second vote replaces the first.
      const down = button(buttonWith(answer, '👎').custom_id, { ...message, id: up.message!.id }, { userId: user })
      const second = dataOf(await fake.interact(down), 4)
      expect(second).toMatchObject({ content: strings('zh-CN').feedbackUpdated, flags: 64 })
      const logged = log.lines.filter((l) => l.msg === 'answer feedback' && l.messageId === up.message!.id)
      expect(logged.map((l) => [l.feedback, l.replaces])).toEqual([
        ['up', null],
        ['down', 'up'],
      ])
      expect(logged[0]!.query).toBe('为什么需要 Pod')
      expect(logged[0]!.passageIds).toHaveLength(3)
      expect(log.raw.join('\n')).not.toContain(user)
    })

    it('limits each user to 5 questions per 30 s with a polite ephemeral message', async () => {
      const user = nextUser()
      for (let i = 0; i < 5; i++) {
        const data = dataOf(await fake.interact(chatInput('ask', { question: `pod ${i}` }, { userId: user })), 4)
        expect(data.embeds).toHaveLength(1)
      }
      const sixth = dataOf(await fake.interact(chatInput('ask', { question: 'pod' }, { userId: user })), 4)
      expect(sixth.flags).toBe(64)
      expect(sixth.content).toMatch(/^提问太快啦，请 \d+ 秒后再试。$/)
      // Others are not limited, nor are this user's other commands.
      expect(dataOf(await fake.interact(chatInput('ask', { question: 'pod' }, { userId: nextUser() })), 4).embeds).toHaveLength(1)
      expect(dataOf(await fake.interact(chatInput('toc', {}, { userId: user })), 4).embeds).toHaveLength(1)
    })
  })

  describe('/toc', () => {
    it('pages with ◀ ▶', async () => {
      const first = dataOf(await fake.interact(chatInput('toc', {}, { userId: nextUser() })), 4)
      expect(first.embeds[0]!.title).toBe('课程目录 · 第 1/8 页')
      expect(buttonWith(first, '◀️').disabled).toBe(true)
      const second = dataOf(await fake.interact(click(buttonWith(first, '▶️').custom_id, first)), 7)
      expect(second.embeds[0]!.title).toBe('课程目录 · 第 2/8 页')
      const back = dataOf(await fake.interact(click(buttonWith(second, '◀️').custom_id, second)), 7)
      expect(back.embeds[0]!.title).toBe('课程目录 · 第 1/8 页')
      const last = dataOf(await fake.interact(chatInput('toc', { page: 8 })), 4)
      expect(last.embeds[0]!.title).toBe('课程目录 · 第 8/8 页')
      expect(buttonWith(last, '▶️').disabled).toBe(true)
    })
  })

  describe('/chapter', () => {
    it('shows a chapter with local text', async () => {
      const data = dataOf(await fake.interact(chatInput('chapter', { n: '结束语' })), 4)
      const e = data.embeds[0]!
      expect(e.title).toBe(`${SHENRU} · 结束语 Kubernetes：赢开发者赢天下`)
      expect(e.url).toMatch(/^https:\/\/learn\.lianglianglee\.com\//)
      expect(e.description).not.toContain('你好，我是张磊')
      expect(e.description).toMatch(/。$/)
      expect(e.fields?.[0]?.name).toBe('前后章节')
    })

    it('shows a title-only chapter with a note that its text is not indexed', async () => {
      const data = dataOf(await fake.interact(chatInput('chapter', { n: '13', course: SHENRU })), 4)
      expect(data.embeds[0]!.title).toBe(`${SHENRU} · 13 为什么我们需要Pod？`)
      expect(data.embeds[0]!.description).toBe(strings('zh-CN').chapterNotIndexed)
      expect(buttonsOf(data).map((b) => b.emoji)).toEqual(['◀️', '▶️'])
    })

    it('asks which course for a number in both, and a click shows the chosen chapter', async () => {
      const data = dataOf(await fake.interact(chatInput('chapter', { n: '13' })), 4)
      expect(data.content).toBe('两门课都有「13」，你想看哪一门？')
      const choices = buttonsOf(data)
      expect(choices).toHaveLength(2)
      const etcd = choices.find((b) => b.label.includes('etcd'))!
      const shown = dataOf(await fake.interact(click(etcd.custom_id, data)), 7)
      expect(shown.embeds[0]!.title).toBe(`${SHANGSHOU} · 13 庖丁解牛：etcd`)
      expect(shown.content ?? '').toBe('') // the question is cleared
    })
  })

  describe('autocomplete', () => {
    it('suggests questions (type 8, at most 25 choices)', async () => {
      const callback = await fake.interact(autocomplete('ask', { question: 'pod' }))
      expect(callback.body.type).toBe(8)
      const choices = validChoices(callback.body.data.choices)
      expect(choices.length).toBeGreaterThan(1)
      expect(choices.length).toBeLessThanOrEqual(25)
      expect(choices[0]).toEqual({ name: 'pod', value: 'pod' })
      expect(choices.map((c) => c.name)).toContain('为什么我们需要Pod？')
      const empty = await fake.interact(autocomplete('ask', { question: '' }))
      expect(validChoices(empty.body.data.choices)).toHaveLength(25)
    })

    it('matches chapters by number and English terms (type 8), and the choice opens the chapter', async () => {
      const thirteen = await fake.interact(autocomplete('chapter', { n: '13' }))
      expect(thirteen.body.type).toBe(8)
      expect(validChoices(thirteen.body.data.choices)).toHaveLength(2)
      const etcd = await fake.interact(autocomplete('chapter', { n: 'etcd', course: SHANGSHOU }, { focused: 'n' }))
      const [choice] = validChoices(etcd.body.data.choices)
      expect(choice!.name).toBe(`13 庖丁解牛：etcd · ${SHANGSHOU}`)
      const opened = dataOf(await fake.interact(chatInput('chapter', { n: choice!.value })), 4)
      expect(opened.embeds[0]!.title).toBe(`${SHANGSHOU} · 13 庖丁解牛：etcd`)
    })
  })

  describe('locales', () => {
    it('speaks zh-CN to zh-CN users and English to en-US users', async () => {
      const zh = dataOf(await fake.interact(chatInput('ask', { question: '为什么需要 Pod' }, { userId: nextUser(), locale: 'zh-CN' })), 4)
      expect(buttonsOf(zh).map((b) => b.label)).toEqual(['更多结果', '有帮助', '没帮助'])
      const en = dataOf(await fake.interact(chatInput('ask', { question: '为什么需要 Pod' }, { userId: nextUser(), locale: 'en-US' })), 4)
      expect(en.embeds[0]!.title).toMatch(/^Answers 1–3 of \d+$/)
      expect(buttonsOf(en).map((b) => b.label)).toEqual(['More results', 'Helpful', 'Not helpful'])
      const toc = dataOf(await fake.interact(chatInput('toc', {}, { locale: 'en-US' })), 4)
      expect(toc.embeds[0]!.title).toBe('Course contents · page 1/8')
      const next = dataOf(await fake.interact(click(buttonWith(toc, '▶️').custom_id, toc, { locale: 'en-US' })), 7)
      expect(next.embeds[0]!.title).toBe('Course contents · page 2/8')
    })
  })

  describe('resilience', () => {
    it('resumes after a gateway op 7 and answers the next /ask', async () => {
      const identifies = fake.identifies.length
      await fake.reconnect(0)
      expect(fake.resumes.at(-1)).toMatchObject({ token: TOKEN })
      expect(fake.identifies).toHaveLength(identifies)
      const data = dataOf(await fake.interact(chatInput('ask', { question: '为什么需要 Pod' }, { userId: nextUser() })), 4)
      expect(data.embeds[0]!.title).toMatch(/^第 1–3 条答案/)
    })

    it('retries the callback after a REST 500', async () => {
      fake.failNext({ method: 'POST', path: /\/callback$/, status: 500 })
      const payload = chatInput('ask', { question: '为什么需要 Pod' }, { userId: nextUser() })
      const callback = await fake.interact(payload)
      const posts = fake.requestsFor(payload).filter((r) => r.path.endsWith('/callback'))
      expect(posts.map((r) => r.status)).toEqual([500, 204])
      expect(posts[0]!.injected).toBe(true)
      expect(dataOf(callback, 4).embeds[0]!.title).toMatch(/^第 1–3 条答案/)
    })

    it('apologises and logs when a reply is refused, so the interaction is still answered', async () => {
      fake.failNext({ method: 'POST', path: /\/callback$/, status: 400, body: { message: 'Invalid Form Body', code: 50035 } })
      const payload = chatInput('toc', {}, { userId: nextUser() })
      const callback = await fake.interact(payload)
      const posts = fake.requestsFor(payload).filter((r) => r.path.endsWith('/callback'))
      expect(posts.map((r) => r.status)).toEqual([400, 204])
      expect(dataOf(callback, 4)).toMatchObject({ content: strings('zh-CN').error, flags: 64 })
      expect(log.lines.some((l) => l.msg === 'could not answer an interaction' && l.interactionId === payload.id)).toBe(true)
    })
  })
})
