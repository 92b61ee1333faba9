import { createHash } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import type { LibraryConfig } from '../config.js'
import { KnownError } from '../errors.js'
import { listCorpusFiles } from '../corpus/corpus-files.js'
import type { Corpus } from '../corpus/load-corpus.js'
import { Library } from './library.js'
import { openIndexFile, writeIndexFile, type IndexFile } from './index-file.js'
import { TOKENIZER_VERSION } from './tokenizer.js'
import { CHAPTER_TOPICS } from './chapter-topics.js'

/** Bump when the index file's shape changes; older files are then rebuilt, not misread. */
const SNAPSHOT_VERSION = 14

/** What the corpus is now: every file's path and content, and the settings that shape URLs. */
export function corpusFingerprint(config: LibraryConfig): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify([SNAPSHOT_VERSION, TOKENIZER_VERSION, CHAPTER_TOPICS, config.courseBaseUrl, config.docsBaseUrl, config.courseOrder, config.maxPageBytes]))
  const { files, skipped } = listCorpusFiles(config.corpusDir, config.maxPageBytes)
  // Content, not modification time: copies (a Docker layer, a checkout) keep the index valid. Read one after
  // another without leaving the main thread: nothing else runs yet, and 535 files take 4–8 ms against 15–30 ms
  // through the thread pool. Opened non-blocking and checked again, so a file swapped for a FIFO cannot hang it.
  for (const { file, absolute } of files) {
    const fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      if (!fstatSync(fd).isFile()) throw new KnownError(`CORPUS_DIR: ${file} stopped being a regular file while it was read; run again`)
      hash.update(`${file}\0`).update(readFileSync(fd)).update('\n')
    } finally {
      closeSync(fd)
    }
  }
  for (const { file, reason } of skipped) hash.update(`${file}\0${reason}\n`)
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
  const fingerprint = corpusFingerprint(config)
  // Imported here: parsing (YAML, HTML) is only needed to build, and a start on a current index skips its 15 MB.
  const { corpusOptions, loadCorpus } = await import('../corpus/load-corpus.js')
  const corpus = await loadCorpus(corpusOptions(config))
  const library = await Library.build(corpus)
  await mkdir(path.dirname(config.indexPath), { recursive: true })
  const temporary = `${config.indexPath}.${process.pid}.tmp`
  try {
    const header = { format: 'k8s-course-library', version: SNAPSHOT_VERSION, tokenizerVersion: TOKENIZER_VERSION, fingerprint, builtAt: new Date().toISOString() } as const
    await writeIndexFile(temporary, header, library.stored())
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
  let file: IndexFile
  try {
    file = await openIndexFile(config.indexPath)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return rebuild(`no index at ${config.indexPath}`)
    return rebuild(`index ${config.indexPath} is corrupt (${(error as Error).message}); rebuilding it`)
  }
  const { header } = file
  if (header.version !== SNAPSHOT_VERSION || header.tokenizerVersion !== TOKENIZER_VERSION) {
    await file.close()
    return rebuild('index was built by another version of the bot')
  }
  if (header.fingerprint !== corpusFingerprint(config)) {
    await file.close()
    return rebuild('corpus changed since the index was built')
  }
  try {
    return { status: 'loaded', library: await Library.restore(await file.read()) }
  } catch (error) {
    return rebuild(`index ${config.indexPath} is corrupt (${(error as Error).message}); rebuilding it`)
  }
}
