// The benchmark is not a test: this only checks that it runs at a tiny size and writes results of the right shape.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_DOCS_DIR } from '../../src/bench/base-corpus.js'
import { glossaryQuestions, fullLinkPath, readGlossary } from '../../src/bench/glossary-questions.js'
import { buildQuerySet, headingQuestion } from '../../src/bench/queries.js'
import { percentile } from '../../src/bench/stats.js'
import { synthesizeCorpus, type BaseCorpus } from '../../src/bench/synth.js'
import { loadCorpus } from '../../src/corpus/load-corpus.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '..', '..')
const out = await mkdtemp(path.join(os.tmpdir(), 'bench-test-'))
afterAll(() => rm(out, { recursive: true, force: true }))

describe('npm run bench at a tiny size', () => {
  it('prints one JSON object and writes results.json and latency.svg of the documented shape', { timeout: 120_000 }, async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', '--sizes', '300', '--json', '--no-docs', '--no-real', '--cold-runs', '1', '--queries', '500', '--warmup', '10', '--out', out],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    )
    const printed = JSON.parse(stdout.trim()) as { sizes: unknown[] }
    const written = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as typeof printed
    expect(printed.sizes).toHaveLength(1)
    expect(written.sizes).toEqual(printed.sizes)
    const size = written.sizes[0] as Record<string, Record<string, unknown>>
    expect(size.passages).toBe(300)
    const isNumber = expect.any(Number)
    expect(size.ours).toMatchObject({
      askP50Ms: isNumber,
      askP99Ms: isNumber,
      askMaxMs: isNumber,
      // A tiny corpus is quick to search three times: the steady figures are there, and no slower than one pass.
      askSteadyP50Ms: isNumber,
      askSteadyP99Ms: isNumber,
      buildMs: isNumber,
      loadMs: isNumber,
      rssMb: isNumber,
      heapMb: isNumber,
    })
    expect(size.ours!.askSteadyP99Ms as number).toBeLessThanOrEqual(size.ours!.askP99Ms as number)
    for (const key of ['autocompleteP50Ms', 'autocompleteP99Ms', 'coldStartMs']) expect(size.ours![key] === null || typeof size.ours![key] === 'number').toBe(true)
    for (const engine of ['minisearch', 'flexsearch']) expect(size[engine]).toMatchObject({ askP50Ms: isNumber, askP99Ms: isNumber, buildMs: isNumber })
    expect(size.ratios).toMatchObject({ p50VsMinisearch: isNumber, p50VsFlexsearch: isNumber })
    expect((size.ours!.ask as { count: number }).count).toBe(500)
    const svg = await readFile(path.join(out, 'latency.svg'), 'utf8')
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg).toContain('<polyline')
  })
})

describe('bench building blocks', () => {
  const base: BaseCorpus = {
    toc: [],
    chapters: [{ key: 'c#1', course: 'c', position: 1, number: null, title: '调度', url: 'https://x/1/', hasText: true }],
    passages: [
      { id: 'c#1#0', kind: 'paragraph', chapterKey: 'c#1', heading: '', text: '调度器负责把 Pod 放到节点上。它会考虑资源。最后绑定。', source: 'a' },
      { id: 'c#1#1', kind: 'list', chapterKey: 'c#1', heading: 'h', text: '步骤：\n- 一\n- 二', source: 'a' },
    ],
    keepIds: [],
  }

  it('grows a corpus to exactly N passages, each in a chapter, deterministically', () => {
    const a = synthesizeCorpus(base, 50)
    const b = synthesizeCorpus(base, 50)
    expect(a.corpus.passages).toHaveLength(50)
    expect(a.corpus.passages.map((p) => p.text)).toEqual(b.corpus.passages.map((p) => p.text))
    const keys = new Set(a.corpus.chapters.map((c) => c.key))
    expect(a.corpus.passages.every((p) => keys.has(p.chapterKey))).toBe(true)
    expect(new Set(a.corpus.passages.map((p) => p.id)).size).toBe(50)
    expect(a.stats.insertedTerms).toBeGreaterThan(10)
    expect(synthesizeCorpus(base, 1).corpus.passages).toHaveLength(1)
    // Grown like a real corpus: every twin chapter has its own title, every twin section its own heading.
    const titles = a.corpus.chapters.map((c) => c.title)
    expect(new Set(titles).size).toBe(titles.length)
    const headings = new Set(a.corpus.passages.filter((p) => p.heading).map((p) => `${p.chapterKey}|${p.heading}`))
    expect(new Set([...headings].map((h) => h.split('|')[1])).size).toBe(headings.size)
  })

  it('turns headings into questions and fills the query set', () => {
    expect(headingQuestion('创建 Pod')).toBe('如何创建 Pod？')
    expect(headingQuestion('Pod 模板')).toBe('Pod 模板是什么？')
    expect(headingQuestion('为什么需要 Kubernetes？')).toBe('为什么需要 Kubernetes？')
    const set = buildQuerySet(['a?', 'b?'], ['c是什么？', 'd是什么？'], 5, 1)
    expect(set.timed).toHaveLength(5)
    expect(set.repeated).toBe(true)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
    expect(percentile([1, 2, 3, 4], 99)).toBe(4)
  })

  it('maps glossary full_link to the docs path the loader uses', () => {
    expect(fullLinkPath('/zh-cn/docs/concepts/workloads/pods/')).toBe('concepts/workloads/pods')
    expect(fullLinkPath('/docs/concepts/overview/working-with-objects/annotations')).toBe('concepts/overview/working-with-objects/annotations')
    expect(fullLinkPath('/docs/concepts/scheduling-eviction/assign-pod-node/#affinity')).toBe('concepts/scheduling-eviction/assign-pod-node')
    expect(fullLinkPath('https://github.com/x')).toBeUndefined()
  })

  it.skipIf(!existsSync(DEFAULT_DOCS_DIR))('makes glossary questions whose URLs are chapter URLs of the loaded docs (needs ../shared)', { timeout: 60_000 }, async () => {
    const corpus = await loadCorpus({ dir: DEFAULT_DOCS_DIR, baseUrl: 'https://learn.lianglianglee.com', docsBaseUrl: 'https://kubernetes.io/zh-cn/docs' })
    const set = glossaryQuestions(await readGlossary(DEFAULT_DOCS_DIR), corpus)
    expect(set.questions.length).toBeGreaterThan(100)
    const urls = new Set(corpus.chapters.map((c) => c.url))
    for (const q of set.questions) for (const url of q.expectUrls!) expect(urls.has(url)).toBe(true)
    const pod = set.questions.find((q) => q.id === 'glossary:pod')
    expect(pod?.q).toBe('什么是Pod？')
    expect(pod?.expectUrls).toEqual(['https://kubernetes.io/zh-cn/docs/reference/glossary/pod/', 'https://kubernetes.io/zh-cn/docs/concepts/workloads/pods/'])
  })
})
