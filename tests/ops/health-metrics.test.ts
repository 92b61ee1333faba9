import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startBot, waitForStatus, type BotProcess } from './process-helpers.js'

function askCount(metrics: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('coursebot_interactions_total{command="ask",outcome="answered"}'))
  return Number(line?.split(' ').at(-1))
}

describe('console mode with HTTP_PORT', () => {
  let bot: BotProcess
  let port: number
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'coursebot-http-'))
    port = await freePort()
    bot = startBot({ HTTP_PORT: String(port), INDEX_PATH: path.join(dir, 'library.json') })
  })

  afterAll(async () => {
    bot.child.stdin.end()
    await bot.exited
    await rm(dir, { recursive: true, force: true })
  })

  it('answers /healthz with 200 and /metrics with counters that grow after an /ask', async () => {
    const health = await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, 20_000, bot.stderr)
    expect(await health.text()).toBe('ok\n')

    const before = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    expect(before).toContain('# TYPE coursebot_interactions_total counter')
    expect(before).toMatch(/^coursebot_library_chapters 80$/m)
    expect(before).toMatch(/^process_cpu_user_seconds_total /m)
    expect(askCount(before)).toBe(0)

    bot.child.stdin.write('/ask 为什么需要 Pod\n')
    const deadline = Date.now() + 10_000
    let after = before
    while (askCount(after) < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      after = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    }
    expect(askCount(after)).toBe(1)
    expect(after).toMatch(/^coursebot_search_duration_seconds_count 1$/m)
    expect(bot.stdout()).toContain('为什么我们需要Pod')
  })

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' })).status).toBe(405)
  })
})
