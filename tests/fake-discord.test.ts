// Self-test of the fake Discord server: a real discord.js Client logs in and interactions round-trip.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AttachmentBuilder, Client, MessageFlags, REST, Routes, type Interaction } from 'discord.js'
import {
  DEFAULT_APP_ID,
  DEFAULT_GUILD_ID,
  autocomplete,
  button,
  chatInput,
  loginAndWaitReady,
  startFakeDiscord,
  trapUnhandledRejections,
  type FakeDiscord,
  type RejectionTrap,
} from './support/fake-discord.js'

/** What the bot under test saw, so tests can assert on the client side too. */
interface Seen {
  userId: string
  locale: string
  option?: string | null
  /** Message content discord.js parsed from a `withResponse` callback answer. */
  responseContent?: string | null
}

describe('fake Discord server', () => {
  let fake: FakeDiscord
  let client: Client
  let trap: RejectionTrap
  const seen = new Map<string, Seen>() // by interaction id
  const handlerErrors: unknown[] = []

  async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      const typed = interaction.options.getFocused()
      await interaction.respond([{ name: `${typed}-1`, value: `${typed}-1` }])
      return
    }
    if (interaction.isButton()) {
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] })
      return
    }
    if (!interaction.isChatInputCommand()) return
    seen.set(interaction.id, {
      userId: interaction.user.id,
      locale: interaction.locale,
      option: interaction.options.getString('q', false),
    })
    switch (interaction.commandName) {
      case 'ping':
        await interaction.reply({ content: 'pong', allowedMentions: { parse: [] } })
        break
      case 'secret':
        await interaction.reply({ content: 'shh', flags: MessageFlags.Ephemeral })
        break
      case 'slow': {
        await interaction.deferReply()
        const msg = await interaction.editReply({ content: 'done', allowedMentions: { parse: [] } })
        await interaction.followUp({ content: `edited ${msg.id}` })
        break
      }
      case 'withresp': {
        const response = await interaction.reply({ content: 'r', withResponse: true })
        seen.get(interaction.id)!.responseContent = response.resource?.message?.content ?? null
        break
      }
      case 'file':
        await interaction.reply({ content: 'see file', files: [new AttachmentBuilder(Buffer.from('hello'), { name: 'a.txt' })] })
        break
    }
  }

  beforeAll(async () => {
    trap = trapUnhandledRejections()
    fake = await startFakeDiscord()
    client = new Client({ intents: [], rest: { api: fake.apiUrl } })
    client.on('interactionCreate', (interaction) => {
      handle(interaction).catch((err: unknown) => handlerErrors.push(err))
    })
    await loginAndWaitReady(client, 'fake-token')
  })

  afterEach(() => {
    expect(handlerErrors).toEqual([])
    trap.assertNone()
  })

  afterAll(async () => {
    await client?.destroy() // before fake.close(), or the client keeps reconnecting
    await fake?.close()
    trap?.dispose()
  })

  it('logs a real client in over REST + gateway', () => {
    expect(client.isReady()).toBe(true)
    expect(client.user?.id).toBe(fake.botId)
    expect(client.application?.id).toBe(DEFAULT_APP_ID)
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true)
    expect(fake.identifies).toHaveLength(1)
    expect(fake.identifies[0]).toMatchObject({ token: 'fake-token', shard: [0, 1] })
  })

  it('captures command registration via client.application.commands.set and REST', async () => {
    const body = [{ name: 'ping', description: 'Ping', options: [] }]
    const created = await client.application!.commands.set(body)
    expect(created.first()?.name).toBe('ping')
    expect(created.first()?.id).toMatch(/^\d{17,19}$/)
    expect(fake.commands.at(-1)).toMatchObject({ scope: 'global', applicationId: DEFAULT_APP_ID })
    expect(fake.commands.at(-1)?.body).toEqual([expect.objectContaining({ name: 'ping', description: 'Ping' })])

    const rest = new REST({ api: fake.apiUrl }).setToken('fake-token')
    const guildBody = [{ name: 'ask', description: 'Ask', options: [{ type: 3, name: 'q', description: 'question', required: true }] }]
    const answer = (await rest.put(Routes.applicationGuildCommands(DEFAULT_APP_ID, DEFAULT_GUILD_ID), { body: guildBody })) as Array<{
      id: string
      application_id: string
    }>
    expect(answer[0]).toMatchObject({ application_id: DEFAULT_APP_ID, id: expect.stringMatching(/^\d+$/) })
    expect(fake.commands.at(-1)).toMatchObject({ scope: 'guild', guildId: DEFAULT_GUILD_ID, body: guildBody })
    const put = fake.commands.at(-1)!.request
    expect(put.headers.authorization).toBe('Bot fake-token')
  })

  it('round-trips a chat command reply with allowed_mentions (type 4)', async () => {
    const payload = chatInput('ping', { q: 'hi' }, { userId: '222222222222222222' })
    const cb = await fake.interact(payload)
    expect(cb.body).toMatchObject({ type: 4, data: { content: 'pong', allowed_mentions: { parse: [] } } })
    expect(cb.query.with_response).toBe('false')
    expect(cb.headers.authorization).toBeUndefined()
    expect(seen.get(payload.id)).toEqual({ userId: '222222222222222222', locale: 'zh-CN', option: 'hi' })
  })

  it('sets flags 64 for an ephemeral reply', async () => {
    const cb = await fake.interact(chatInput('secret', {}, { locale: 'en-US' }))
    expect(cb.body).toMatchObject({ type: 4, data: { content: 'shh', flags: 64 } })
  })

  it('answers autocomplete (type 8)', async () => {
    const cb = await fake.interact(autocomplete('ask', { q: 'pod' }))
    expect(cb.body).toEqual({ type: 8, data: { choices: [{ name: 'pod-1', value: 'pod-1' }] } })
  })

  it('updates the message of a clicked button (type 7)', async () => {
    const payload = button('more:1', { content: 'answer', components: [] })
    const cb = await fake.interact(payload)
    expect(cb.body).toMatchObject({ type: 7, data: { content: 'clicked more:1', components: [] } })
    expect(fake.message(payload.token)?.content).toBe('clicked more:1')
  })

  it('handles deferReply + editReply + followUp', async () => {
    const payload = chatInput('slow')
    const cb = await fake.interact(payload)
    expect(cb.body).toMatchObject({ type: 5 })
    const edit = await fake.waitForEditReply(payload)
    expect(edit.body).toMatchObject({ content: 'done', allowed_mentions: { parse: [] } })
    const follow = await fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/webhooks/${DEFAULT_APP_ID}/${payload.token}`,
      5_000,
      'followUp',
    )
    expect(follow.query.wait).toBe('true')
    const original = fake.message(payload.token)!
    expect(follow.body.content).toBe(`edited ${original.id}`)
    expect(original.content).toBe('done')
    expect(original.flags! & 128).toBe(0) // no longer "thinking"
    expect(fake.requestsFor(payload).map((r) => `${r.method} ${r.path.split('/').at(-1)}`)).toEqual([
      'POST callback',
      'PATCH @original',
      `POST ${payload.token}`,
    ])
  })

  it('answers ?with_response=true with an interaction callback response', async () => {
    const payload = chatInput('withresp')
    const cb = await fake.interact(payload)
    expect(cb.query.with_response).toBe('true')
    await expect.poll(() => seen.get(payload.id)?.responseContent).toBe('r')
  })

  it('parses multipart payload_json and records files', async () => {
    const cb = await fake.interact(chatInput('file'))
    expect(cb.headers['content-type']).toMatch(/^multipart\/form-data/)
    expect(cb.body).toMatchObject({ type: 4, data: { content: 'see file' } })
    expect(cb.files).toEqual([expect.objectContaining({ filename: 'a.txt', size: 5 })])
  })

  it('survives op 7 reconnect: the client resumes and the next interaction works', async () => {
    const identifiesBefore = fake.identifies.length
    await fake.reconnect(0)
    expect(fake.resumes.at(-1)).toMatchObject({ token: 'fake-token', session_id: expect.any(String) })
    expect(fake.identifies).toHaveLength(identifiesBefore) // resumed, not re-identified
    const cb = await fake.interact(chatInput('ping'))
    expect(cb.body).toMatchObject({ type: 4, data: { content: 'pong' } })
  })

  it('retries a callback after an injected 500', async () => {
    fake.failNext({ method: 'POST', path: /\/callback$/, status: 500 })
    const payload = chatInput('ping')
    const cb = await fake.interact(payload)
    const posts = fake.requestsFor(payload).filter((r) => r.path.endsWith('/callback'))
    expect(posts.map((r) => r.status)).toEqual([500, 204])
    expect(posts[0]!.injected).toBe(true)
    expect(cb).toBe(posts[1])
    expect(cb.body).toMatchObject({ type: 4, data: { content: 'pong' } })
  })

  it('retries a callback after an injected 429 with Retry-After', async () => {
    fake.failNext({ method: 'POST', path: '/callback', status: 429, retryAfter: 0.2 })
    const payload = chatInput('ping')
    const cb = await fake.interact(payload)
    const posts = fake.requestsFor(payload).filter((r) => r.path.endsWith('/callback'))
    expect(posts.map((r) => r.status)).toEqual([429, 204])
    expect(cb.time - posts[0]!.time).toBeGreaterThanOrEqual(150)
  })

  it('delivers DM interactions', async () => {
    const payload = chatInput('ping', {}, { dm: true, userId: '333333333333333333' })
    expect(payload.member).toBeUndefined()
    await fake.interact(payload)
    expect(seen.get(payload.id)?.userId).toBe('333333333333333333')
  })

  it('times out with a clear message instead of hanging', async () => {
    await expect(fake.waitFor((r) => r.path === '/nope', 50, 'a request that never comes')).rejects.toThrow(
      /timed out after 50 ms waiting for a request that never comes/,
    )
  })

  it('accepts a fresh IDENTIFY after an invalid session', async () => {
    // The client re-identifies on a new connection; @discordjs/ws throttles identifies ~5 s apart.
    await fake.invalidateSession(0, false)
    expect(fake.identifies.length).toBeGreaterThanOrEqual(2)
    const cb = await fake.interact(chatInput('ping'))
    expect(cb.body).toMatchObject({ type: 4 })
  }, 20_000)
})

describe('fake Discord server with 2 shards', () => {
  let fake: FakeDiscord
  let client: Client
  const shardOf = new Map<string, number>() // interaction id -> shard that delivered it

  beforeAll(async () => {
    fake = await startFakeDiscord({ shards: 2 })
    // discord.js defaults to shardCount 1; 'auto' makes it use the recommended count from /gateway/bot.
    client = new Client({ intents: [], rest: { api: fake.apiUrl }, shards: 'auto' })
    client.on('interactionCreate', (interaction) => {
      if (interaction.isChatInputCommand()) void interaction.reply({ content: 'hi' })
    })
    // 'raw' carries the shard id the packet arrived on.
    client.on('raw', (packet: { t?: string; d?: { id?: string } }, shardId: number) => {
      if (packet.t === 'INTERACTION_CREATE' && packet.d?.id) shardOf.set(packet.d.id, shardId)
    })
    await loginAndWaitReady(client)
  })

  afterAll(async () => {
    await client?.destroy()
    await fake?.close()
  })

  it('identifies both shards and delivers interactions to the chosen shard', async () => {
    expect(fake.identifies.map((d) => d.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ])
    for (const shard of [0, 1]) {
      const payload = chatInput('ping')
      const cb = await fake.interact(payload, { shard })
      expect(cb.body).toMatchObject({ type: 4 })
      expect(shardOf.get(payload.id)).toBe(shard)
    }
  })
})
