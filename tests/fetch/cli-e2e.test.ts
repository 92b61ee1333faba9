// The "done when": fetch from a local site with the real CLI, index the result, and ask it.
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { run } from './support/run.js'
import { buildSite, FRAGMENT_SEED, makeTempCorpus, markerOf, readSeed, SHANGSHOU, SHANGSHOU_SEED, SHENRU_SEED, startSite, type TestServer } from './support/site.js'

const seeds = { [SHENRU_SEED]: readSeed(SHENRU_SEED), [SHANGSHOU_SEED]: readSeed(SHANGSHOU_SEED), [FRAGMENT_SEED]: readSeed(FRAGMENT_SEED) }
const site = buildSite([seeds[SHENRU_SEED], seeds[SHANGSHOU_SEED]])
let corpus: ReturnType<typeof makeTempCorpus>
let server: TestServer
beforeAll(async () => {
  corpus = makeTempCorpus(seeds)
  server = await startSite(site.pages)
})
afterAll(async () => {
  await server.close()
  corpus.cleanup()
})

it('fetch-course fetches every chapter, `npm run index` indexes them and `npm run ask` finds text only a fetched chapter has', async () => {
  const { out } = corpus
  const env = { CORPUS_DIR: out, INDEX_PATH: path.join(out, '..', 'idx.json') }

  const fetched = await run('npx', ['tsx', 'scripts/fetch-course.ts', '--base-url', server.url, '--out', out, '--delay-ms', '0'], env)
  expect(fetched.stderr.match(/^\[\d+\/78\] fetched /gm)).toHaveLength(78)
  expect(fetched.stdout).toMatch(/^fetched 78, skipped 2, failed 0 in \d+\.\d s/)
  expect(fetched.code).toBe(0)

  const indexed = await run('npx', ['tsx', 'scripts/index.ts'], env)
  expect(indexed.code).toBe(0)
  expect(indexed.stdout).toContain('深入剖析Kubernetes: 56 chapters (56 with text)')
  expect(indexed.stdout).toContain(`${SHANGSHOU}: 24 chapters (24 with text)`)
  expect(indexed.stdout).not.toContain('warning:')

  const target = site.entries.find((e) => e.course === '深入剖析Kubernetes' && e.position === 13)!
  const asked = await run('npx', ['tsx', 'scripts/ask.ts', '--json', `${markerOf(target)} 是什么`], env)
  expect(asked.code).toBe(0)
  const top = JSON.parse(asked.stdout.trim()).hits[0]
  expect(top.kind).toBe('paragraph')
  expect(top.chapter.title).toBe(target.title)
  expect(top.text).toContain(markerOf(target))
  // Three process start-ups through npx, each loading TypeScript and the library: seconds apiece on a busy machine.
}, 90_000)
