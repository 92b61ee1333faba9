import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { loadCorpus } from '../corpus/load-corpus.js'
import { KnownError } from '../errors.js'
import type { TocEntry } from '../corpus/types.js'

export interface CorpusToc {
  /** The folder whose course pages gave the TOC. */
  source: string
  toc: TocEntry[]
  /** Sidebar entries the corpus left out of the TOC (off-site, traversal), with why. */
  rejected: { entry: TocEntry; reason: string }[]
  /** Chapter key (`course#position`) → corpus files in `--out` that already hold its text. */
  heldBy: Map<string, Set<string>>
}

/** A problem the operator must fix before anything can be fetched. */
export class FetchSetupError extends KnownError {}

/**
 * The chapter list, read with the corpus loader from the sidebars of the pages in `outDir`; when that folder
 * has no course page yet, from `fallbackDir` (CORPUS_DIR). Also which chapters `outDir` already has text for.
 */
export async function readCorpusToc(outDir: string, fallbackDir: string | undefined, baseUrl: string): Promise<CorpusToc> {
  // Only the TOC and which file holds which chapter matter here, so one base serves for both kinds of URL.
  const load = (dir: string) => loadCorpus({ dir, baseUrl, docsBaseUrl: baseUrl })
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new FetchSetupError(`--out: ${outDir} is not a folder; give the corpus folder to save into (default: CORPUS_DIR)`)
  const out = existsSync(outDir) ? await load(outDir) : undefined
  const heldBy = new Map<string, Set<string>>()
  for (const passage of out?.passages ?? []) {
    if (passage.kind === 'comment') continue
    const files = heldBy.get(passage.chapterKey) ?? new Set<string>()
    files.add(passage.source)
    heldBy.set(passage.chapterKey, files)
  }
  if (out && out.toc.length > 0) return { source: outDir, toc: out.toc, rejected: out.rejected, heldBy }
  if (fallbackDir && path.resolve(fallbackDir) !== path.resolve(outDir) && existsSync(fallbackDir)) {
    const fallback = await load(fallbackDir)
    if (fallback.toc.length > 0) return { source: fallbackDir, toc: fallback.toc, rejected: fallback.rejected, heldBy }
  }
  const where = [outDir, fallbackDir].filter(Boolean).join(' or ')
  throw new FetchSetupError(`no course page with a sidebar TOC in ${where}: put at least one course page (e.g. the bundled corpus/*.html seeds) there first`)
}
