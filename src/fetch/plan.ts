import path from 'node:path'
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

/**
 * Why a sidebar entry must not be requested, or undefined when it is safe. The sidebar is data from the
 * web: its href must stay on the base URL's origin, and its decoded path must not climb out of the
 * course (`..%2F` decodes to `../`) or smuggle NUL and other control characters.
 */
function entryProblem(entry: TocEntry, base: URL): string | undefined {
  // JSON quoting shows control characters as escapes instead of sending them to the terminal.
  const href = JSON.stringify(entry.href)
  let target: URL
  try {
    target = new URL(entry.href, base)
  } catch {
    return `href ${href} is not a valid URL`
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return `href ${href} is not an http(s) link`
  if (target.origin !== base.origin) return `href ${href} is off-site (only ${base.origin} is fetched)`
  if (entry.path.split('/').some((segment) => segment === '.' || segment === '..')) {
    return `href ${href} decodes to a path with ".." or "." segments`
  }
  if (/[\p{Cc}\\]/u.test(entry.path)) return `href ${href} decodes to a path with control characters or backslashes`
  return undefined
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
    const problem = entryProblem(entry, base)
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
