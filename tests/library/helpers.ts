// Shared paths and temp-dir helpers for the course-library tests. Nothing here writes outside os.tmpdir().
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { loadLibrary } from '../../src/library/store.js'
import { DEFAULT_MAX_PAGE_BYTES } from '../../src/corpus/corpus-files.js'
import { DEFAULT_COURSE_ORDER } from '../../src/corpus/course-order.js'
import type { LibraryConfig } from '../../src/config.js'
import type { Corpus, CorpusOptions } from '../../src/corpus/load-corpus.js'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const SEED_DIR = path.join(REPO_ROOT, 'corpus')
export const FIXTURE_DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'library')
/** The real Kubernetes docs (Simplified Chinese) beside the repository; absent on a fresh clone. */
export const DOCS_DIR = path.resolve(REPO_ROOT, '../shared/corpora/k8s-docs-zh')
export const HAVE_DOCS = existsSync(path.join(DOCS_DIR, 'concepts'))

export const BASE_URL = 'https://learn.lianglianglee.com'
export const DOCS_BASE_URL = 'https://kubernetes.io/zh-cn/docs'

export const SEEDS = {
  shangshou: 'shangshou-kubernetes-closing.html',
  shenru: 'shenru-kubernetes-closing.html',
  fragment: 'shenru-kubernetes-closing-fragment.txt',
} as const

export const SHENRU = '深入剖析Kubernetes'
export const SHANGSHOU = 'Kubernetes 从上手到实践'
/** Chapter keys (`course#position`) of the two chapters whose text the seeds hold. */
/** How many passages the seed chapters become at the current passage shape (src/corpus/passages.ts), reader comments apart. */
export const SEED_PASSAGES = { summary: 5, closing: 4 } as const
export const SEED_PASSAGE_TOTAL = SEED_PASSAGES.summary + SEED_PASSAGES.closing

export const KEY_SUMMARY = `${SHANGSHOU}#24`
export const KEY_CLOSING = `${SHENRU}#56`
export const TITLE_CLOSING = '结束语 Kubernetes：赢开发者赢天下'

export function corpusOptions(dir: string, baseUrl = BASE_URL): CorpusOptions {
  return { dir, baseUrl, docsBaseUrl: DOCS_BASE_URL }
}

export function libraryConfig(corpusDir: string, indexPath: string, courseBaseUrl = BASE_URL): LibraryConfig {
  return { corpusDir, courseBaseUrl, docsBaseUrl: DOCS_BASE_URL, indexPath, maxPageBytes: DEFAULT_MAX_PAGE_BYTES, courseOrder: [...DEFAULT_COURSE_ORDER] }
}

export function readSeed(name: string): Promise<string> {
  return readFile(path.join(SEED_DIR, name), 'utf8')
}

export function readFixture(name: string): Promise<string> {
  return readFile(path.join(FIXTURE_DIR, name), 'utf8')
}

const made: string[] = []

/** A fresh directory under the OS temp dir; removeTempDirs() deletes every one made so far. */
export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `k8s-lib-${label}-`))
  made.push(dir)
  return dir
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
}

/**
 * Copy seeds into a directory, optionally under other names. Copies are written (not copyFile'd) so that they
 * are writable even though the seeds themselves are read-only.
 */
export async function copySeeds(dir: string, names: Partial<Record<keyof typeof SEEDS, string>> = {}): Promise<void> {
  for (const [seed, file] of Object.entries(SEEDS) as [keyof typeof SEEDS, string][]) {
    if (Object.keys(names).length > 0 && !(seed in names)) continue
    await writeFile(path.join(dir, names[seed] ?? file), await readFile(path.join(SEED_DIR, file)))
  }
}

/** A temp corpus with all three seeds, plus extra files (name → content). */
export async function seedCorpusWith(label: string, extra: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await tempDir(label)
  await copySeeds(dir)
  for (const [name, content] of Object.entries(extra)) {
    await writeFile(path.join(dir, name), content)
  }
  return dir
}

/**
 * The corpus of exactly the three seeds, read from a temp copy: corpus/ may also hold an operator's fetched
 * chapters or dropped-in pages, which would change every count. (The parsers are imported lazily, so that
 * tests that only tokenize do not load them.)
 */
export async function loadSeedCorpus(baseUrl = BASE_URL): Promise<Corpus> {
  const { loadCorpus } = await import('../../src/corpus/load-corpus.js')
  const dir = await tempDir('seeds')
  await copySeeds(dir)
  return loadCorpus(corpusOptions(dir, baseUrl))
}

/**
 * Loading the index at `indexPath` finds it corrupt (the reason matching `reason`), rebuilds it from the seed
 * corpus in `corpusDir`, answers, and the rebuilt file replaced the damaged one: the next start loads it.
 */
export async function expectRebuiltFromCorrupt(corpusDir: string, indexPath: string, reason: RegExp): Promise<void> {
  const config = libraryConfig(corpusDir, indexPath)
  const outcome = await loadLibrary(config)
  expect(outcome.status).toBe('rebuilt')
  if (outcome.status !== 'rebuilt') return
  expect(outcome.reason).toMatch(/corrupt/)
  expect(outcome.reason).toMatch(reason)
  expect(outcome.library.search('为什么需要 Pod').hits[0]!.chapter.number).toBe('13')
  expect((await loadLibrary(config)).status).toBe('loaded')
}
