import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chatInput, startFakeDiscord, type FakeDiscord } from '../support/fake-discord.js'
import { freePort, startBot, waitForStatus, type BotProcess } from './process-helpers.js'

describe('SHARD_COUNT=2 against the fake Discord', () => {
  let fake: FakeDiscord
  let bot: BotProcess
  let port: number
  let dir: string

  beforeAll(async () => {
    fake = await startFakeDiscord({ shards: 2, timeoutMs: 15_000 })
    dir = await mkdtemp(path.join(tmpdir(), 'coursebot-shards-'))
    port = await freePort()
    bot = startBot({
      DISCORD_TOKEN: 'fake-token',
      DISCORD_API_URL: fake.apiUrl,
      SHARD_COUNT: '2',
      HTTP_PORT: String(port),
      INDEX_PATH: path.join(dir, 'library.json'),
    })
  })

  afterAll(async () => {
    bot.child.kill('SIGTERM')
    await bot.exited
    await fake.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('starts two shard processes, reports healthy once both are ready, and each answers its interactions', async () => {
    await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, 45_000, () => bot.stderr())
    expect(fake.identifies.map((d) => d.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ])
    for (const shard of [0, 1]) {
      const callback = await fake.interact(chatInput('ask', { question: '为什么需要 Pod' }, { userId: `12000000000000000${shard}0` }), { shard })
      expect(callback.body).toMatchObject({ type: 4, data: { allowed_mentions: { parse: [] } } })
      expect(JSON.stringify(callback.body)).toContain('为什么我们需要Pod')
    }
    // The manager sums every shard's metrics.
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    expect(metrics).toMatch(/^coursebot_interactions_total\{command="ask",outcome="answered"\} 2$/m)
    // Only the shard processes loaded the library; the token never reaches the logs.
    expect(bot.stderr()).not.toContain('fake-token')
  })
})
