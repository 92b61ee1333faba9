import path from 'node:path'
import { sidebarLinkProblem } from '../corpus/course-page.js'
import type { TocEntry } from '../corpus/types.js'
import { chapterFile, isInside } from './paths.js'

/** One chapter to request and where to save it. */
export interface FetchJob {
  entry: TocEntry
  /** The base URL plus the chapter's decoded path, re-encoded segment by segment. */
  url: string
  /** Output file relative to `--out`, `/`-separated. */
  file: string
}

/** A sidebar entry that is not requested, and why. */
export interface RejectedEntry {
  entry: TocEntry
  reason: string
}

export interface Plan {
  jobs: FetchJob[]
  rejected: RejectedEntry[]
}

/** The URL a chapter is requested at. Query and fragment of the base are dropped; `?`, `#` and `%` in the path stay path characters. */
export function chapterUrl(base: URL, decodedPath: string): string {
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`
  const encoded = decodedPath.split('/').filter(Boolean).map(encodeURIComponent).join('/')
  return `${prefix}/${encoded}`
}

/** TOC entries → fetch jobs with safe output paths; unsafe or colliding entries are rejected with a reason. */
export function planJobs(toc: readonly TocEntry[], options: { baseUrl: string; outDir: string }): Plan {
  const base = new URL(options.baseUrl)
  const jobs: FetchJob[] = []
  const rejected: RejectedEntry[] = []
  // Case-folded, so two chapters cannot overwrite each other on a case-insensitive filesystem either.
  const claimed = new Map<string, FetchJob>()
  for (const entry of toc) {
    const problem = sidebarLinkProblem(entry, base)
    if (problem) {
      rejected.push({ entry, reason: problem })
      continue
    }
    const file = chapterFile(entry)
    // chapterFile already sanitises; this is the last guard that nothing resolves outside --out.
    if (!isInside(options.outDir, path.join(options.outDir, file))) {
      rejected.push({ entry, reason: `output path "${file}" would leave the output folder` })
      continue
    }
    const owner = claimed.get(file.toLowerCase())
    if (owner) {
      rejected.push({ entry, reason: `would be saved to the same file as ${JSON.stringify(owner.entry.title)} (${owner.file})` })
      continue
    }
    const job = { entry, url: chapterUrl(base, entry.path), file }
    claimed.set(file.toLowerCase(), job)
    jobs.push(job)
  }
  return { jobs, rejected }
}
