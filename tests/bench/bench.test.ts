// The benchmark's figures are not tested (timings belong in its output), but what it computes from them is, and so is
// that the engines it compares answer alike.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_DOCS_DIR, loadBenchBase } from '../../src/bench/base-corpus.js'
import { buildEngine, ENGINES } from '../../src/bench/engines.js'
import type { BenchResults } from '../../src/bench/report.js'
import { Suggester } from '../../src/library/suggest.js'
import { Tokenizer } from '../../src/library/tokenizer.js'
import { glossaryQuestions, fullLinkPath, readGlossary } from '../../src/bench/glossary-questions.js'
import { buildQuerySet, headingQuestion } from '../../src/bench/queries.js'
import { percentile, round } from '../../src/bench/stats.js'
import { synthesizeCorpus, type BaseCorpus } from '../../src/bench/synth.js'
import { loadCorpus } from '../../src/corpus/load-corpus.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '..', '..')
const out = await mkdtemp(path.join(os.tmpdir(), 'bench-test-'))
afterAll(() => rm(out, { recursive: true, force: true }))

describe('npm run bench at a tiny size', () => {
  it('times the engines in turns, reports ratios of the measured figures, blind hit@3 and autocomplete entries', { timeout: 120_000 }, async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', '--sizes', '300', '--json', '--no-docs', '--no-real', '--cold-runs', '1', '--queries', '40', '--warmup', '5', '--rounds', '2', '--out', out],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    )
    const printed = JSON.parse(stdout.trim()) as BenchResults
    const written = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as BenchResults
    expect(written.sizes).toEqual(printed.sizes)
    expect(written.settings).toMatchObject({ topK: 3, rounds: 2 })
    const size = written.sizes[0]!
    const ours = size.ours!
    const mini = size.minisearch!
    const flex = size.flexsearch!
    expect(size.ratios).toEqual({
      p50VsMinisearch: round(ours.askP50Ms / mini.askP50Ms),
      p99VsMinisearch: round(ours.askP99Ms / mini.askP99Ms),
      p50VsFlexsearch: round(ours.askP50Ms / flex.askP50Ms),
      p99VsFlexsearch: round(ours.askP99Ms / flex.askP99Ms),
    })
    // Every engine timed the same queries; the blind course set is mostly answerable from the seeds by all.
    for (const f of [ours, mini, flex]) {
      expect(f.queriesTimed).toBe(ours.queriesTimed)
      expect(f.eval.course.questions).toBe(76)
      expect(f.evalCourseHitAt3).toBeGreaterThan(0.5)
      expect(f.evalDocsHitAt3).toBeNull()
    }
    expect(ours.eval.plain?.course.questions).toBe(76)
    // As many autocomplete entries as a suggester over that corpus's titles and headings has.
    const { corpus } = synthesizeCorpus(await loadBenchBase({ noDocs: true }), 300)
    const headings = [...new Set(corpus.passages.filter((p) => p.kind !== 'comment').map((p) => p.heading).filter(Boolean))]
    expect(ours.autocompleteEntries).toBe(new Suggester(corpus.chapters.map((c) => c.title), headings, Tokenizer.forCorpus(corpus.passages)).size)
    expect(ours.autocompleteP99Ms).toBeGreaterThan(0)
    // Each prefix's fastest of three passes is at most its first time, so every percentile is too.
    expect(ours.autocompleteSteadyP99Ms).toBeGreaterThan(0)
    expect(ours.autocompleteSteadyP99Ms).toBeLessThanOrEqual(ours.autocompleteP99Ms!)
    const svg = await readFile(path.join(out, 'latency.svg'), 'utf8')
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

  it('gives each engine the passage that answers, configured alike (whole words, top 3)', async () => {
    const { corpus } = synthesizeCorpus(base, 2)
    for (const name of ENGINES) {
      const engine = await buildEngine(name, corpus)
      const hits = engine.search('调度器负责把 Pod 放到哪里？')
      expect(hits[0]?.text, name).toContain('调度器负责把 Pod 放到节点上')
      expect(hits.length, name).toBeLessThanOrEqual(3)
      // Whole words: a word's beginning alone ("调") matches nothing.
      expect(engine.search('绑'), name).toEqual([])
    }
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
