// HTTP mode: POST /interactions with signatures Discord would make (a key pair generated here), served in this
// process by the same dispatcher the gateway uses; then two bot processes serving one conversation alternately.
import { generateKeyPairSync } from 'node:crypto'
import { request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Dispatcher } from '../../src/bot/dispatcher.js'
import { interactionsEndpoint, INTERACTIONS_PATH, MAX_BODY_BYTES, type InteractionsEndpoint } from '../../src/bot/interactions-http.js'
import { signatureHeaders } from '../../src/bot/signature.js'
import { ConfigError, loadBotConfig } from '../../src/config.js'
import type { Library } from '../../src/library/library.js'
import { startHttpServer } from '../../src/ops/http-server.js'
import { EPHEMERAL, type MessagePayload } from '../../src/render/payload.js'
import { strings } from '../../src/render/strings.js'
import { autocomplete, button, chatInput, startFakeDiscord, type FakeDiscord, type InteractionPayload } from '../support/fake-discord.js'
import { freePort, startBot, waitForStatus, type BotProcess } from '../ops/process-helpers.js'
import { buttonWith, buttonsOf, hitBlocks, hostileQuestion, recordingLogger, seedLibrary, valid, validChoices } from './helpers.js'

const zh = strings('zh-CN')
const { publicKey, privateKey } = generateKeyPairSync('ed25519')
/** The raw 32-byte key as the Developer Portal shows it: the last bytes of the SPKI DER. */
const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex')

let library: Library
let fake: FakeDiscord
let server: Server
let deferringServer: Server
let deferringEndpoint: InteractionsEndpoint
const log = recordingLogger('debug')

/** A fresh user per test, so the /ask cooldown of one test never touches another. */
let userCounter = 0
const nextUser = () => `14000000000000${String(++userCounter).padStart(5, '0')}`

/** A body that takes longer than this to arrive is refused (10 s in production). */
const BODY_TIMEOUT_MS = 300

async function listen(deferAfterMs?: number): Promise<{ server: Server; endpoint: InteractionsEndpoint }> {
  const dispatcher = new Dispatcher({ library, logger: log.logger, askCooldown: { uses: 5, perSeconds: 30 } })
  const endpoint = interactionsEndpoint({ dispatcher, publicKey, logger: log.logger, api: fake.apiUrl, deferAfterMs, bodyTimeoutMs: BODY_TIMEOUT_MS })
  return { server: await startHttpServer(0, () => undefined, async () => Promise.reject(new Error('unused')), '127.0.0.1', { [INTERACTIONS_PATH]: endpoint.listener }), endpoint }
}

beforeAll(async () => {
  ;[library, fake] = await Promise.all([seedLibrary(), startFakeDiscord()])
  const [plain, deferring] = await Promise.all([listen(), listen(0)])
  server = plain.server
  ;({ server: deferringServer, endpoint: deferringEndpoint } = deferring)
})

afterAll(async () => {
  await Promise.all([server, deferringServer].map((s) => s && new Promise((resolve) => s.close(resolve))))
  await fake?.close()
  // Interaction tokens never reach the logs.
  for (const payload of fake.interactions.values()) expect(log.raw.join('\n')).not.toContain(payload.token)
})

const urlOf = (s: Server, route = INTERACTIONS_PATH) => `http://127.0.0.1:${(s.address() as AddressInfo).port}${route}`

interface Answer {
  status: number
  text: string
  json: any
}

/** POSTs a body with the given headers (by default, Discord's signature of that very body). */
async function post(body: string | object, headers?: Record<string, string>, target = urlOf(server)): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...(headers ?? signatureHeaders(privateKey, text)) }, body: text })
  const answer = await response.text()
  let json: unknown
  try {
    json = JSON.parse(answer)
  } catch {
    json = undefined
  }
  return { status: response.status, text: answer, json }
}

/** The message of a type 4 reply or type 7 update, checked against Discord's limits. */
function dataOf(answer: Answer, type: 4 | 7): MessagePayload {
  expect(answer.status, answer.text).toBe(200)
  expect(answer.json.type).toBe(type)
  return valid(answer.json.data as MessagePayload)
}

/** Clicks a button of a message the bot sent: Discord sends the message back with the click. */
function click(customId: string, on: MessagePayload, extra: Parameters<typeof button>[2] = {}): InteractionPayload {
  return button(customId, { embeds: on.embeds, components: on.components as never, content: on.content ?? '' }, extra)
}

/**
 * Discord creates the "thinking…" message when the endpoint answers type 5; the fake is told the same way, so
 * that the deferred answer's PATCH has a message to edit.
 */
function thinking(payload: InteractionPayload, data: { flags?: number } = {}): Promise<Response> {
  fake.interactions.set(payload.token, payload)
  return fetch(`${fake.apiUrl}/v10/interactions/${payload.id}/${payload.token}/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 5, data }),
  })
}

const PING = { id: '1', application_id: '1100000000000000001', type: 1, token: 'ping-token', version: 1 }

describe('rejections, before any JSON is read', () => {
  const body = JSON.stringify(PING)
  const signed = () => signatureHeaders(privateKey, body)

  it('401 without X-Signature-Ed25519 or without X-Signature-Timestamp', async () => {
    const { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } = signed()
    expect((await post(body, { 'x-signature-timestamp': timestamp! })).status).toBe(401)
    expect((await post(body, { 'x-signature-ed25519': signature! })).status).toBe(401)
    const none = await post(body, {})
    expect(none.status).toBe(401)
    expect(none.text).toMatch(/missing signature headers/)
  })

  it('401 for a malformed signature: not hex, cut short, or a timestamp that is not a number', async () => {
    const headers = signed()
    for (const malformed of [
      { ...headers, 'x-signature-ed25519': 'z'.repeat(128) },
      { ...headers, 'x-signature-ed25519': headers['x-signature-ed25519']!.slice(0, 100) },
      { ...headers, 'x-signature-timestamp': 'yesterday' },
    ]) {
      const answer = await post(body, malformed)
      expect(answer.status).toBe(401)
      expect(answer.text).toMatch(/malformed signature/)
    }
  })

  it('401 for a wrong signature: another key’s, or a flipped bit', async () => {
    const other = generateKeyPairSync('ed25519').privateKey
    expect((await post(body, signatureHeaders(other, body))).status).toBe(401)
    const headers = signed()
    const sig = headers['x-signature-ed25519']!
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`
    const answer = await post(body, { ...headers, 'x-signature-ed25519': flipped })
    expect(answer.status).toBe(401)
    expect(answer.text).toMatch(/bad signature/)
  })

  it('401 for a timestamp more than 5 minutes off, even when correctly signed; 4 minutes is fine', async () => {
    const now = Math.floor(Date.now() / 1000)
    // Half a minute past the limit either way: a loaded machine may take some seconds between signing and checking.
    for (const stale of [now - 330, now + 330]) {
      const answer = await post(body, signatureHeaders(privateKey, body, stale))
      expect(answer.status).toBe(401)
      expect(answer.text).toMatch(/stale timestamp/)
    }
    expect((await post(body, signatureHeaders(privateKey, body, now - 240))).status).toBe(200)
  })

  it('401 for a forged body sent with a valid, fresh signature of another body (a replayed header)', async () => {
    const headers = signatureHeaders(privateKey, body)
    const forged = JSON.stringify(chatInput('ask', { question: '什么是 Pod' }))
    const answer = await post(forged, headers)
    expect(answer.status).toBe(401)
    expect(answer.text).toMatch(/bad signature/)
    // Unsigned garbage is refused for its signature, not parsed: 401, not 400.
    expect((await post('not json {', headers)).status).toBe(401)
  })

  it(`413 for a body over ${MAX_BODY_BYTES} bytes, whether announced by Content-Length or streamed in chunks`, async () => {
    const big = JSON.stringify({ ...PING, padding: 'x'.repeat(MAX_BODY_BYTES) })
    expect((await post(big)).status).toBe(413)
    // Chunked: no Content-Length, the limit is counted while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(urlOf(server), { method: 'POST', headers: { ...signatureHeaders(privateKey, big), 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      for (let i = 0; i < big.length; i += 8192) req.write(big.slice(i, i + 8192))
      req.end()
    })
    expect(status).toBe(413)
    // Exactly at the limit is still read (and then answered on its merits).
    const atLimit = JSON.stringify({ ...PING, padding: '' })
    const padded = atLimit.replace('"padding":""', `"padding":"${'x'.repeat(MAX_BODY_BYTES - atLimit.length)}"`)
    expect(Buffer.byteLength(padded)).toBe(MAX_BODY_BYTES)
    expect((await post(padded)).json).toEqual({ type: 1 })
  })

  it('408 for a body that trickles in too slowly', async () => {
    const body = JSON.stringify(PING)
    const started = performance.now()
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(urlOf(server), { method: 'POST', headers: { ...signatureHeaders(privateKey, body), 'content-length': String(body.length) } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write(body.slice(0, 10)) // and never the rest
    })
    expect(status).toBe(408)
    expect(performance.now() - started).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 10)
  })

  it('405 for a method other than POST, with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(urlOf(server), { method })
      expect(response.status, method).toBe(405)
      expect(response.headers.get('allow')).toBe('POST')
    }
  })

  it('400 for a signed body that is not JSON, or JSON that is not an interaction', async () => {
    const answer = await post('{"type": 1,')
    expect(answer.status).toBe(400)
    expect(answer.text).toMatch(/not JSON/)
    expect((await post({ type: 1 })).status).toBe(400)
    expect((await post({ ...PING, token: 'a/../b' })).status).toBe(400)
  })

  it('leaves /healthz and /metrics to the server, and /interactions alone answers Discord', async () => {
    expect((await fetch(urlOf(server, '/healthz'))).status).toBe(200)
    expect((await fetch(urlOf(server, '/interactions/x'), { method: 'POST' })).status).toBe(405)
  })
})

describe('interactions', () => {
  it('answers PING with {type: 1}, as the developer portal’s endpoint check expects', async () => {
    const answer = await post(PING)
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({ type: 1 })
  })

  it('/ask: the same reply the dispatcher gives the gateway, escaped and within limits; private → flag 64', async () => {
    const question = hostileQuestion(300)
    const payload = chatInput('ask', { question }, { userId: nextUser() })
    const data = dataOf(await post(payload), 4)
    const direct = new Dispatcher({ library, logger: log.logger, askCooldown: { uses: 5, perSeconds: 30 } }).dispatch({
      type: 'command',
      name: 'ask',
      options: { question },
      userId: 'someone',
      locale: 'zh-CN',
    })
    expect(direct.type).toBe('reply')
    expect(data).toEqual((direct as { payload: MessagePayload }).payload)
    expect(data.allowed_mentions).toEqual({ parse: [] })

    const plain = dataOf(await post(chatInput('ask', { question: '什么是 Pod' }, { userId: nextUser() })), 4)
    expect(hitBlocks(plain.embeds[0]!.description!)).toHaveLength(3)
    expect(plain.flags).toBeUndefined()
    const hidden = dataOf(await post(chatInput('ask', { question: '什么是 Pod', private: true }, { userId: nextUser() })), 4)
    expect(hidden.flags).toBe(EPHEMERAL)
  })

  it('/ask keeps the per-user cooldown of this replica', async () => {
    const user = nextUser()
    for (let i = 0; i < 5; i++) expect(dataOf(await post(chatInput('ask', { question: 'Service' }, { userId: user })), 4).embeds).toHaveLength(1)
    const sixth = dataOf(await post(chatInput('ask', { question: 'Service' }, { userId: user })), 4)
    expect(sixth.content).toMatch(/秒/)
    expect(sixth.flags).toBe(EPHEMERAL)
  })

  it('/toc and its ▶️ / ◀️ buttons (type 7 updates)', async () => {
    const first = dataOf(await post(chatInput('toc', {})), 4)
    const next = dataOf(await post(click(buttonWith(first, '▶️').custom_id, first)), 7)
    expect(next.embeds[0]!.description).not.toBe(first.embeds[0]!.description)
    // An update replaces the message: no flags, and content cleared rather than kept.
    expect(next.flags).toBeUndefined()
    const back = dataOf(await post(click(buttonWith(next, '◀️').custom_id, next)), 7)
    expect(back.embeds).toEqual(first.embeds)
  })

  it('/chapter and its neighbour buttons', async () => {
    const thirteen = dataOf(await post(chatInput('chapter', { n: '13', course: '深入剖析Kubernetes' })), 4)
    expect(buttonsOf(thirteen).map((b) => b.emoji)).toEqual(['◀️', '▶️'])
    const fourteen = dataOf(await post(click(buttonWith(thirteen, '▶️').custom_id, thirteen)), 7)
    expect(fourteen.embeds[0]!.title).toMatch(/14/)
    const back = dataOf(await post(click(buttonWith(fourteen, '◀️').custom_id, fourteen)), 7)
    expect(back.embeds[0]!.title).toBe(thirteen.embeds[0]!.title)
  })

  it('autocomplete: type 8 choices for /ask and /chapter', async () => {
    const ask = await post(autocomplete('ask', { question: 'Pod' }))
    expect(ask.json.type).toBe(8)
    expect(validChoices(ask.json.data.choices)[0]).toEqual({ name: 'Pod', value: 'Pod' })
    const chapter = await post(autocomplete('chapter', { n: '13' }))
    expect(chapter.json.type).toBe(8)
    const picked = validChoices(chapter.json.data.choices)
    expect(picked.length).toBeGreaterThan(0)
    expect(dataOf(await post(chatInput('chapter', { n: picked[0]!.value })), 4).embeds[0]!.title).toContain('13')
  })

  it('/ask buttons: 更多结果 pages on (type 7), 👍 and 👎 are thanked privately (type 4, flag 64)', async () => {
    const first = dataOf(await post(chatInput('ask', { question: '什么是 Pod' }, { userId: nextUser() })), 4)
    const more = buttonWith(first, '➡️')
    expect(more.label).toBe(zh.more)
    const second = dataOf(await post(click(more.custom_id, first)), 7)
    expect(hitBlocks(second.embeds[0]!.description!)[0]!.rank).toBe(4)
    // Both votes on one message by one user: the second replaces the first.
    const user = nextUser()
    const vote = (emoji: string) => {
      const payload = click(buttonWith(first, emoji).custom_id, first, { userId: user })
      payload.message!.id = '1100000000000000999'
      return post(payload)
    }
    const up = dataOf(await vote('👍'), 4)
    expect(up).toMatchObject({ content: zh.thanks, flags: EPHEMERAL })
    const down = dataOf(await vote('👎'), 4)
    expect(down).toMatchObject({ content: zh.feedbackUpdated, flags: EPHEMERAL })
  })

  it('a command that could miss the 3 s deadline is deferred (type 5), then answered by PATCH @original', async () => {
    const payload = chatInput('ask', { question: '什么是 Pod', private: true }, { userId: nextUser() })
    expect((await thinking(payload, { flags: EPHEMERAL })).status).toBe(204)
    const answer = await post(payload, undefined, urlOf(deferringServer))
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({ type: 5, data: { flags: EPHEMERAL } })
    const edit = await fake.waitForEditReply(payload)
    const sent = valid(edit.body as MessagePayload)
    expect(hitBlocks(sent.embeds[0]!.description!)).toHaveLength(3)
    expect(buttonsOf(sent).map((b) => b.emoji)).toEqual(['➡️', '👍', '👎'])
    expect(fake.message(payload.token)!.embeds).toEqual(sent.embeds)
    // Buttons and autocomplete are never deferred: they answer at once.
    const pressed = await post(click(buttonWith(sent, '➡️').custom_id, sent), undefined, urlOf(deferringServer))
    expect(pressed.json.type).toBe(7)
  })

  it('waits, when asked to settle, for a deferred answer still being sent (a replica shutting down)', async () => {
    const payload = chatInput('toc', {}, { userId: nextUser() })
    expect((await thinking(payload)).status).toBe(204)
    // Discord fails the first attempt: the answer goes out on the retry, 200 ms or more later.
    fake.failNext({ method: 'PATCH', path: payload.token, status: 503 })
    expect((await post(payload, undefined, urlOf(deferringServer))).json).toEqual({ type: 5, data: {} })
    await deferringEndpoint.settled()
    const patches = fake.requestsFor(payload).filter((r) => r.method === 'PATCH')
    expect(patches.map((r) => r.status)).toEqual([503, 200])
  })

  it('a deferred answer Discord refuses is logged by interaction id, never with its token', async () => {
    const payload = chatInput('toc', {}, { userId: nextUser() })
    fake.interactions.set(payload.token, payload) // no "thinking…" message: the PATCH gets 404
    expect((await post(payload, undefined, urlOf(deferringServer))).json).toEqual({ type: 5, data: {} })
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(payload.token))
    expect(edit.status).toBe(404)
    await expect.poll(() => log.lines.find((l) => l.msg === 'could not send a deferred answer' && l.interactionId === payload.id)).toBeTruthy()
    expect(log.raw.join('\n')).not.toContain(payload.token)
  })
})

describe('configuration', () => {
  const key = 'ab'.repeat(32)

  it('INTERACTIONS=http needs DISCORD_PUBLIC_KEY, takes no SHARD_COUNT, and defaults HTTP_PORT to 8080', () => {
    expect(loadBotConfig({ INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: key })).toMatchObject({ interactions: 'http', publicKey: key, httpPort: 8080 })
    expect(loadBotConfig({}).interactions).toBe('gateway')
    const problem = (env: Record<string, string>) => {
      try {
        loadBotConfig(env)
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        return (error as Error).message
      }
      return 'accepted'
    }
    expect(problem({ INTERACTIONS: 'http' })).toMatch(/^DISCORD_PUBLIC_KEY: is not set; .*Developer Portal/)
    expect(problem({ INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: 'abc' })).toMatch(/^DISCORD_PUBLIC_KEY: is not 64 hexadecimal digits/)
    expect(problem({ INTERACTIONS: 'webhook' })).toMatch(/^INTERACTIONS: "webhook" is neither/)
    expect(problem({ INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: key, SHARD_COUNT: '2' })).toMatch(/^SHARD_COUNT: /)
  })
})

describe('two bot processes serving alternately (stateless replicas)', () => {
  let tmp: string
  const bots: { bot: BotProcess; url: string }[] = []

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'coursebot-http-'))
    for (const name of ['a', 'b']) {
      const port = await freePort()
      const bot = startBot({ INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: publicKeyHex, HTTP_PORT: String(port), INDEX_PATH: path.join(tmp, `${name}.jsonl`), DISCORD_API_URL: fake.apiUrl })
      bots.push({ bot, url: `http://127.0.0.1:${port}` })
    }
    await Promise.all(bots.map(({ bot, url }) => waitForStatus(`${url}/healthz`, 200, 25_000, () => bot.stderr())))
  }, 40_000)

  afterAll(async () => {
    for (const { bot } of bots) bot.child.kill('SIGTERM')
    await Promise.all(bots.map(({ bot }) => bot.exited))
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  it('a question answered by one, its 更多结果 pressed on the other: the next page of the same results', async () => {
    const [a, b] = bots.map((x) => `${x.url}${INTERACTIONS_PATH}`) as [string, string]
    const first = dataOf(await post(chatInput('ask', { question: '什么是 Pod' }, { userId: nextUser() }), undefined, a), 4)
    const firstHits = hitBlocks(first.embeds[0]!.description!)
    const second = dataOf(await post(click(buttonWith(first, '➡️').custom_id, first), undefined, b), 7)
    const secondHits = hitBlocks(second.embeds[0]!.description!)
    expect(secondHits[0]!.rank).toBe(firstHits.length + 1)
    expect(secondHits.map((h) => h.label)).not.toContain(firstHits[0]!.label)
    // The same results: exactly the page this process's dispatcher gives for the same press on the same library.
    const direct = new Dispatcher({ library, logger: log.logger, askCooldown: { uses: 5, perSeconds: 30 } }).dispatch({
      type: 'button',
      customId: buttonWith(first, '➡️').custom_id,
      message: { embeds: first.embeds },
      messageId: '1',
      userId: 'someone',
      locale: 'zh-CN',
    }) as { type: string; payload: MessagePayload }
    expect(direct.type).toBe('update')
    expect(second.embeds).toEqual(direct.payload.embeds)
    expect(second.components).toEqual(direct.payload.components)
    // And back the other way: the feedback on page two, pressed on the first process.
    expect(dataOf(await post(click(buttonWith(second, '👍').custom_id, second), undefined, a), 4).content).toBe(zh.thanks)
    for (const { bot } of bots) expect(bot.stderr()).not.toMatch(/"level":50/)
    // Each warms its search path once it serves (Library.warmUp, in the background).
    const warmed = /"questions":[1-9]\d*,"ms":[\d.]+,"msg":"search warmed up"/
    for (const { bot } of bots) {
      for (let i = 0; i < 100 && !warmed.test(bot.stderr()); i++) await new Promise((r) => setTimeout(r, 100))
      expect(bot.stderr()).toMatch(warmed)
    }
  })

  it('SIGTERM mid-request (a rolling update): the request in flight is answered, then the process exits 0', async () => {
    const { bot, url } = bots[1]!
    const body = JSON.stringify(chatInput('ask', { question: '什么是 Pod' }, { userId: nextUser() }))
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${url}${INTERACTIONS_PATH}`, { method: 'POST', headers: { ...signatureHeaders(privateKey, body), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      // Half the body, the signal, then the rest: the request is in flight when the process is told to stop.
      const bytes = Buffer.from(body)
      req.write(bytes.subarray(0, 100))
      setTimeout(() => {
        bot.child.kill('SIGTERM')
        setTimeout(() => req.end(bytes.subarray(100)), 300)
      }, 100)
    })
    const { status, text } = await answered
    expect(status, text).toBe(200)
    expect(JSON.parse(text).type).toBe(4)
    expect(await bot.exited).toBe(0)
    expect(bot.stdout() + bot.stderr()).toContain('shutting down')
  })
})
