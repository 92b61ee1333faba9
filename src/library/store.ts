import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { LibraryConfig } from '../config.js'
import { loadCorpus, type Corpus } from '../corpus/load-corpus.js'
import { Library, type LibrarySnapshot } from './library.js'
import { TOKENIZER_VERSION } from './tokenizer.js'
import { CHAPTER_TOPICS } from './chapter-topics.js'

/** Bump when the snapshot's shape changes; older files are then rebuilt, not misread. */
const SNAPSHOT_VERSION = 4

interface StoredIndex {
  format: 'k8s-course-library'
  version: number
  tokenizerVersion: number
  fingerprint: string
  builtAt: string
  snapshot: LibrarySnapshot
}

/** What the corpus is now: every file's path and content, and the settings that shape URLs. */
export async function corpusFingerprint(config: LibraryConfig): Promise<string> {
  const hash = createHash('sha256')
  hash.update(JSON.stringify([SNAPSHOT_VERSION, TOKENIZER_VERSION, CHAPTER_TOPICS, config.courseBaseUrl, config.docsBaseUrl]))
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(config.corpusDir, rel), { withFileTypes: true })
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = path.join(rel, entry.name)
      if (entry.isDirectory()) await walk(relPath)
      else {
        // Content, not modification time: copies (a Docker layer, a checkout) keep the index valid.
        hash.update(`${relPath}\0`).update(await readFile(path.join(config.corpusDir, relPath))).update('\n')
      }
    }
  }
  await walk('')
  return hash.digest('hex')
}

export interface BuildReport {
  corpus: Corpus
  library: Library
  elapsedMs: number
}

/** Parse the corpus and index it, then persist the index atomically (write a temporary file, then rename). */
export async function buildAndSave(config: LibraryConfig): Promise<BuildReport> {
  const started = performance.now()
  const fingerprint = await corpusFingerprint(config)
  const corpus = await loadCorpus({ dir: config.corpusDir, baseUrl: config.courseBaseUrl, docsBaseUrl: config.docsBaseUrl })
  const library = await Library.build(corpus)
  const stored: StoredIndex = {
    format: 'k8s-course-library',
    version: SNAPSHOT_VERSION,
    tokenizerVersion: TOKENIZER_VERSION,
    fingerprint,
    builtAt: new Date().toISOString(),
    snapshot: library.snapshot(),
  }
  await mkdir(path.dirname(config.indexPath), { recursive: true })
  const temporary = `${config.indexPath}.${process.pid}.tmp`
  try {
    await writeFile(temporary, JSON.stringify(stored))
    await rename(temporary, config.indexPath)
  } finally {
    await rm(temporary, { force: true })
  }
  return { corpus, library, elapsedMs: performance.now() - started }
}

export type LoadOutcome =
  | { status: 'loaded'; library: Library }
  | { status: 'rebuilt'; library: Library; reason: string; report: BuildReport }

/**
 * The library for the current corpus: the persisted index when it is current, otherwise a fresh build.
 * A missing or stale index is rebuilt; a corrupt one is reported by the caller (reason) and rebuilt.
 */
export async function loadLibrary(config: LibraryConfig): Promise<LoadOutcome> {
  const rebuild = async (reason: string): Promise<LoadOutcome> => {
    const report = await buildAndSave(config)
    return { status: 'rebuilt', library: report.library, reason, report }
  }
  let raw: string | undefined
  try {
    raw = await readFile(config.indexPath, 'utf8')
  } catch {
    return rebuild(`no index at ${config.indexPath}`)
  }
  let stored: StoredIndex
  try {
    stored = JSON.parse(raw) as StoredIndex
    if (stored?.format !== 'k8s-course-library' || typeof stored.snapshot !== 'object' || stored.snapshot === null) throw new Error('not a library index')
  } catch (error) {
    return rebuild(`index ${config.indexPath} is corrupt (${(error as Error).message}); rebuilding it`)
  }
  // The file's text is as large as the library at 100k passages: let it go before the library is restored.
  raw = undefined
  if (stored.version !== SNAPSHOT_VERSION || stored.tokenizerVersion !== TOKENIZER_VERSION) {
    return rebuild('index was built by another version of the bot')
  }
  if (stored.fingerprint !== (await corpusFingerprint(config))) return rebuild('corpus changed since the index was built')
  try {
    return { status: 'loaded', library: await Library.restore(stored.snapshot) }
  } catch (error) {
    return rebuild(`index ${config.indexPath} is corrupt (${(error as Error).message}); rebuilding it`)
  }
}
