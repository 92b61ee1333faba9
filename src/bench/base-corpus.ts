// The real text and the queries the benchmark starts from: the seed corpus plus the k8s zh-cn docs when present.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../config.js'
import { loadCorpus } from '../corpus/load-corpus.js'
import { readQuestions, type EvalQuestion } from '../library/evaluation.js'
import { buildQuerySet, headingQuestions, sentenceQueries, type QuerySet } from './queries.js'
import type { BaseCorpus } from './synth.js'

export const DEFAULT_SEEDS_DIR = path.join(PROJECT_ROOT, 'corpus')
export const DEFAULT_DOCS_DIR = path.resolve(PROJECT_ROOT, '../shared/corpora/k8s-docs-zh')
/**
 * Answer quality is measured on blind sets only (never looked at while tuning the ranking): the course set, and the
 * docs set, whose questions name the page that must answer them. docs-d served until session 5 read its misses.
 */
export const BLIND_SETS = { course: path.join(PROJECT_ROOT, 'tests', 'eval', 'fresh-h.jsonl'), docs: path.join(PROJECT_ROOT, 'tests', 'eval', 'docs-h.jsonl') }

export interface BenchBase extends BaseCorpus {
  seedsDir: string
  docsDir: string
  docsPresent: boolean
  seedPassages: number
  docsPassages: number
  /** Blind eval questions with their expectations, to measure answer quality on the synthetic corpora too (docs: none without the docs). */
  blind: { course: EvalQuestion[]; docs: EvalQuestion[] }
  queries: QuerySet
  loadMs: number
}

export interface BaseOptions {
  seedsDir?: string
  docsDir?: string
  /** Skip the docs even when present (tests, quick runs). */
  noDocs?: boolean
  queryCount?: number
  warmupCount?: number
  baseUrl?: string
  docsBaseUrl?: string
}

export async function loadBenchBase(options: BaseOptions = {}): Promise<BenchBase> {
  const started = performance.now()
  const seedsDir = options.seedsDir ?? DEFAULT_SEEDS_DIR
  const docsDir = options.docsDir ?? DEFAULT_DOCS_DIR
  const urls = { baseUrl: options.baseUrl ?? 'https://learn.lianglianglee.com', docsBaseUrl: options.docsBaseUrl ?? 'https://kubernetes.io/zh-cn/docs' }
  const seeds = await loadCorpus({ dir: seedsDir, ...urls })
  const docsPresent = !options.noDocs && existsSync(docsDir)
  const docs = docsPresent ? await loadCorpus({ dir: docsDir, ...urls }) : undefined

  const blind = {
    course: existsSync(BLIND_SETS.course) ? await readQuestions(BLIND_SETS.course) : [],
    docs: docsPresent && existsSync(BLIND_SETS.docs) ? await readQuestions(BLIND_SETS.docs) : [],
  }

  const generated = docs ? headingQuestions(docs.passages) : [...headingQuestions(seeds.passages, Infinity), ...sentenceQueries(seeds.passages)]
  const queries = buildQuerySet(
    [...blind.course, ...blind.docs].map((q) => q.q),
    generated,
    options.queryCount ?? 600,
    options.warmupCount ?? 50,
  )
  return {
    toc: [...seeds.toc, ...(docs?.toc ?? [])],
    chapters: [...seeds.chapters, ...(docs?.chapters ?? [])],
    passages: [...seeds.passages, ...(docs?.passages ?? [])],
    keepIds: seeds.passages.map((p) => p.id),
    seedsDir,
    docsDir,
    docsPresent,
    seedPassages: seeds.passages.length,
    docsPassages: docs?.passages.length ?? 0,
    blind,
    queries,
    loadMs: Math.round(performance.now() - started),
  }
}
