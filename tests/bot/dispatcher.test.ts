// The dispatcher: /ask cooldown, 👍/👎 feedback and errors, without discord.js.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { Dispatcher, type HandledEvent, type Incoming, type Response } from '../../src/bot/dispatcher.js'
import { hashUser } from '../../src/bot/feedback.js'
import type { Library } from '../../src/library/library.js'
import type { MessagePayload } from '../../src/render/payload.js'
import { strings, type Locale } from '../../src/render/strings.js'
import { buttonWith, recordingLogger, seedLibrary, valid, validChoices } from './helpers.js'

let library: Library

beforeAll(async () => {
  library = await seedLibrary()
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

const USER = '1100000000000000301'
const OTHER = '1100000000000000302'

function setup(askCooldown = { uses: 5, perSeconds: 30 }) {
  const { logger, lines, raw } = recordingLogger()
  const events: HandledEvent[] = []
  const dispatcher = new Dispatcher({ library, logger, askCooldown, onHandled: (e) => events.push(e) })
  /** Dispatches and checks every reply against Discord's limits. */
  const send = (incoming: Incoming): Response => {
    const response = dispatcher.dispatch(incoming)
    if (response.type === 'choices') validChoices(response.choices)
    else valid(response.payload)
    return response
  }
  const ask = (question: string, userId = USER, locale: Locale = 'zh-CN') => send({ type: 'command', name: 'ask', options: { question }, userId, locale })
  const press = (customId: string, message: MessagePayload, messageId: string, userId = USER, locale: Locale = 'zh-CN') =>
    send({ type: 'button', customId, message, messageId, userId, locale })
  return { dispatcher, logger, lines, raw, events, send, ask, press }
}

function payloadOf(response: Response): MessagePayload {
  if (response.type === 'choices') throw new Error('expected a message')
  return response.payload
}

describe('cooldown on /ask', () => {
  it('allows 5 questions per 30 s; the 6th gets a polite ephemeral message', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'))
    const { ask, events } = setup()
    for (let i = 0; i < 5; i++) {
      const reply = payloadOf(ask(`为什么需要 Pod ${i}`))
      expect(reply.embeds).toHaveLength(1)
      vi.advanceTimersByTime(1000)
    }
    const sixth = ask('为什么需要 Pod')
    expect(sixth.type).toBe('reply')
    const notice = payloadOf(sixth)
    expect(notice.flags).toBe(64)
    expect(notice.embeds).toEqual([])
    // The oldest question (at 0 s) leaves the window at 30 s; it is now 5 s.
    expect(notice.content).toBe(strings('zh-CN').cooldown(25))
    expect(notice.content).toMatch(/请 25 秒后再试/)
    expect(events.at(-1)).toMatchObject({ command: 'ask', outcome: 'cooldown' })

    // Once the window has passed, the user may ask again.
    vi.advanceTimersByTime(25_000)
    expect(payloadOf(ask('为什么需要 Pod')).embeds).toHaveLength(1)
  })

  it('leaves other users and other commands alone', () => {
    const { ask, send } = setup()
    for (let i = 0; i < 5; i++) ask('为什么需要 Pod')
    expect(payloadOf(ask('为什么需要 Pod')).content).toMatch(/提问太快啦/)
    // Another user asks freely.
    expect(payloadOf(ask('为什么需要 Pod', OTHER)).embeds).toHaveLength(1)
    // The limited user can still use the other commands, autocomplete and buttons.
    expect(payloadOf(send({ type: 'command', name: 'toc', options: {}, userId: USER, locale: 'zh-CN' })).embeds[0]?.title).toMatch(/课程目录/)
    expect(payloadOf(send({ type: 'command', name: 'chapter', options: { n: '结束语' }, userId: USER, locale: 'zh-CN' })).embeds).toHaveLength(1)
    expect(payloadOf(send({ type: 'command', name: 'help', options: {}, userId: USER, locale: 'zh-CN' })).embeds).toHaveLength(1)
    const choices = send({ type: 'autocomplete', name: 'ask', focused: 'question', value: 'pod', options: { question: 'pod' }, userId: USER, locale: 'zh-CN' })
    expect(choices.type === 'choices' && choices.choices.length).toBeGreaterThan(0)
    const answer = payloadOf(ask('为什么需要 Pod', OTHER))
    const more = send({ type: 'button', customId: buttonWith(answer, '➡️').custom_id, message: answer, messageId: '1', userId: USER, locale: 'zh-CN' })
    expect(more.type).toBe('update')
    // Still limited for /ask.
    expect(payloadOf(ask('为什么需要 Pod')).content).toMatch(/提问太快啦/)
  })

  it('is configurable, and speaks English to English users', () => {
    const { ask } = setup({ uses: 2, perSeconds: 60 })
    ask('pod', USER, 'en')
    ask('pod', USER, 'en')
    const third = payloadOf(ask('pod', USER, 'en'))
    expect(third.flags).toBe(64)
    expect(third.content).toMatch(/^You're asking quickly! Please try again in \d+ s\.$/)
  })
})

describe('feedback', () => {
  it('logs 👍 with the query, passage ids and hashed user id, and thanks the user privately', () => {
    const { ask, press, lines, raw, events } = setup()
    const answer = payloadOf(ask('为什么需要 Pod'))
    const reply = press(buttonWith(answer, '👍').custom_id, answer, '1200000000000000001')
    expect(reply.type).toBe('reply')
    expect(payloadOf(reply)).toMatchObject({ content: strings('zh-CN').thanks, flags: 64 })

    const logged = lines.filter((l) => l.msg === 'answer feedback')
    expect(logged).toHaveLength(1)
    const expectedIds = library.search('为什么需要 Pod', { limit: 3 }).hits.map((h) => h.id)
    expect(logged[0]).toMatchObject({
      feedback: 'up',
      query: '为什么需要 Pod',
      passageIds: expectedIds,
      user: hashUser(USER),
      replaces: null,
    })
    expect(logged[0]!.user).not.toBe(USER)
    expect(logged[0]!.user).toMatch(/^[0-9a-f]{8,}$/)
    // The raw user id appears nowhere in the logs.
    expect(raw.join('\n')).not.toContain(USER)
    expect(events.at(-1)).toMatchObject({ command: 'ask:button', outcome: 'answered', feedback: 'up' })
  })

  it('lets a second click by the same user replace the first', () => {
    const { ask, press, lines } = setup()
    const answer = payloadOf(ask('为什么需要 Pod'))
    const messageId = '1200000000000000002'
    press(buttonWith(answer, '👍').custom_id, answer, messageId)
    const second = payloadOf(press(buttonWith(answer, '👎').custom_id, answer, messageId))
    expect(second.content).toBe(strings('zh-CN').feedbackUpdated)
    expect(second.content).not.toBe(strings('zh-CN').thanks)
    expect(second.flags).toBe(64)
    const logged = lines.filter((l) => l.msg === 'answer feedback')
    expect(logged.map((l) => [l.feedback, l.replaces])).toEqual([
      ['up', null],
      ['down', 'up'],
    ])

    // Another user's click, or the same user's on another answer, is a first vote.
    expect(payloadOf(press(buttonWith(answer, '👍').custom_id, answer, messageId, OTHER)).content).toBe(strings('zh-CN').thanks)
    expect(payloadOf(press(buttonWith(answer, '👍').custom_id, answer, '1200000000000000003')).content).toBe(strings('zh-CN').thanks)
    expect(lines.filter((l) => l.msg === 'answer feedback').slice(2).map((l) => l.replaces)).toEqual([null, null])
  })

  it('thanks in English for English users', () => {
    const { ask, press } = setup()
    const answer = payloadOf(ask('pod', USER, 'en'))
    expect(payloadOf(press(buttonWith(answer, '👍').custom_id, answer, '1200000000000000004', USER, 'en')).content).toBe('Thanks for your feedback!')
    expect(payloadOf(press(buttonWith(answer, '👎').custom_id, answer, '1200000000000000004', USER, 'en')).content).toBe('Your feedback was updated, thanks!')
  })
})

describe('errors', () => {
  it('turns a throwing handler into an ephemeral apology, logs the full error, and does not throw', () => {
    const { send, lines, events } = setup()
    vi.spyOn(library, 'search').mockImplementation(() => {
      throw new Error('index exploded')
    })
    let response: Response | undefined
    expect(() => {
      response = send({ type: 'command', name: 'ask', options: { question: '为什么需要 Pod' }, userId: USER, locale: 'zh-CN' })
    }).not.toThrow()
    expect(response!.type).toBe('reply')
    const apology = payloadOf(response!)
    expect(apology).toMatchObject({ content: strings('zh-CN').error, flags: 64 })
    expect(apology.content).not.toContain('index exploded')

    const error = lines.find((l) => l.msg === 'handler failed')
    expect(error).toBeDefined()
    expect(error!.level).toBe(50)
    expect(error!.err.message).toBe('index exploded')
    expect(error!.err.stack).toContain('index exploded')
    expect(error!.interaction).toMatchObject({ type: 'command', name: 'ask' })
    expect(JSON.stringify(error)).not.toContain(USER)
    expect(events.at(-1)).toMatchObject({ command: 'ask', outcome: 'error' })
  })

  it('apologises for failing buttons in the user’s language, and answers failing autocomplete with no choices', () => {
    const { send, lines } = setup()
    const answer = payloadOf(send({ type: 'command', name: 'ask', options: { question: '为什么需要 Pod' }, userId: USER, locale: 'en' }))
    vi.spyOn(library, 'search').mockImplementation(() => {
      throw new Error('index exploded')
    })
    vi.spyOn(library, 'suggest').mockImplementation(() => {
      throw new Error('suggester exploded')
    })
    const more = send({ type: 'button', customId: buttonWith(answer, '➡️').custom_id, message: answer, messageId: '1', userId: USER, locale: 'en' })
    expect(payloadOf(more)).toMatchObject({ content: strings('en').error, flags: 64 })
    const choices = send({ type: 'autocomplete', name: 'ask', focused: 'question', value: 'pod', options: {}, userId: USER, locale: 'zh-CN' })
    expect(choices).toEqual({ type: 'choices', choices: [] })
    expect(lines.filter((l) => l.msg === 'handler failed').map((l) => l.err.message)).toEqual(['index exploded', 'suggester exploded'])
  })

  it('answers unknown commands with help and unknown buttons with an apology', () => {
    const { send } = setup()
    expect(payloadOf(send({ type: 'command', name: 'nope', options: {}, userId: USER, locale: 'zh-CN' })).embeds[0]?.title).toBe(strings('zh-CN').helpTitle)
    const unknown = payloadOf(send({ type: 'button', customId: 'zzz:1', message: { embeds: [] }, messageId: '1', userId: USER, locale: 'zh-CN' }))
    expect(unknown).toMatchObject({ content: strings('zh-CN').error, flags: 64 })
  })

  it('reports each interaction’s outcome to onHandled', () => {
    const { send, events } = setup()
    send({ type: 'command', name: 'ask', options: { question: '为什么需要 Pod' }, userId: USER, locale: 'zh-CN' })
    send({ type: 'command', name: 'ask', options: { question: '量子纠缠 火锅' }, userId: USER, locale: 'zh-CN' })
    send({ type: 'command', name: 'toc', options: {}, userId: USER, locale: 'zh-CN' })
    send({ type: 'autocomplete', name: 'chapter', focused: 'n', value: '13', options: {}, userId: USER, locale: 'zh-CN' })
    expect(events.map((e) => [e.command, e.outcome])).toEqual([
      ['ask', 'answered'],
      ['ask', 'empty'],
      ['toc', 'answered'],
      ['chapter:autocomplete', 'answered'],
    ])
    for (const e of events) expect(e.ms).toBeGreaterThanOrEqual(0)
  })
})
