import { existsSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pLimit from 'p-limit'
import { tocChapterKey, type TocEntry } from '../corpus/types.js'
import { matchKey } from '../text/normalize.js'
import { FetchSetupError, readCorpusToc } from './corpus-toc.js'
import { fetchPage, type HttpOptions } from './http.js'
import { planJobs, type FetchJob, type RejectedEntry } from './plan.js'
import type { ChapterResult, Progress } from './progress.js'
import { saveAtomic } from './save.js'
import { validateChapter } from './validate.js'

export interface FetchCourseOptions {
  /** Site the chapters are requested from; only its origin is contacted. */
  baseUrl: string
  /** Corpus folder the chapters are saved into (under `fetched/`). */
  outDir: string
  /** Where the TOC is read when `outDir` holds no course page yet (CORPUS_DIR). */
  fallbackTocDir?: string
  /** Only this course; a part of its name is enough. */
  course?: string
  concurrency: number
  /** Each worker pauses this long after a request before its next one. */
  delayMs: number
  /** Fetch again chapters already saved under `fetched/`. */
  force: boolean
  /** Plan only: nothing is requested or written. */
  dryRun: boolean
  http: HttpOptions
  /** Aborting (Ctrl-C) stops new requests and cancels those in flight; finished files stay. */
  signal?: AbortSignal
  progress?: Progress
}

/** A chapter skipped or failed, and why. */
export interface JobWithReason {
  job: FetchJob
  reason: string
}

export interface FetchSummary {
  /** The folder whose sidebars gave the chapter list. */
  tocSource: string
  dryRun: boolean
  fetched: FetchJob[]
  skipped: JobWithReason[]
  failed: JobWithReason[]
  /** Sidebar entries never requested (off-site, `..`, …): warnings, not failures. */
  rejected: RejectedEntry[]
  /** In a dry run, what would be fetched; otherwise what an interruption left unfetched. */
  pending: FetchJob[]
  interrupted: boolean
  elapsedMs: number
}

/** The course `name` designates: an exact name first, then the first that contains it (as `npm run ask -- --course`). */
function selectCourse(toc: TocEntry[], name: string): TocEntry[] {
  const courses = [...new Set(toc.map((e) => e.course))]
  const key = matchKey(name)
  const course = key ? (courses.find((c) => matchKey(c) === key) ?? courses.find((c) => matchKey(c).includes(key))) : undefined
  if (!course) throw new FetchSetupError(`--course: no course matches "${name}"; courses: ${courses.join(', ')}`)
  return toc.filter((e) => e.course === course)
}

/**
 * Fetch every chapter of the TOC that the corpus in `outDir` lacks: plan safe jobs, skip what is held,
 * request the rest with limited concurrency, keep only answers that are the promised chapter, save each
 * atomically. Failures are collected, never thrown; what succeeded is kept.
 */
export async function fetchCourse(options: FetchCourseOptions): Promise<FetchSummary> {
  const started = performance.now()
  const { signal, progress } = options
  const corpus = await readCorpusToc(options.outDir, options.fallbackTocDir, options.baseUrl)
  const toc = options.course === undefined ? corpus.toc : selectCourse(corpus.toc, options.course)
  const plan = planJobs(toc, { baseUrl: options.baseUrl, outDir: options.outDir })

  const skipped: JobWithReason[] = []
  const toFetch: FetchJob[] = []
  for (const job of plan.jobs) {
    // A chapter whose text another corpus file holds (a bundled seed) is never fetched: a copy would only duplicate it.
    const holders = [...(corpus.heldBy.get(tocChapterKey(job.entry)) ?? [])].filter((file) => file !== job.file)
    if (holders.length > 0) skipped.push({ job, reason: `text already in ${holders.join(', ')}` })
    else if (!options.force && existsSync(path.join(options.outDir, job.file))) skipped.push({ job, reason: 'already saved' })
    else toFetch.push(job)
  }

  const summary: FetchSummary = {
    tocSource: corpus.source,
    dryRun: options.dryRun,
    fetched: [],
    skipped,
    failed: [],
    rejected: [...corpus.rejected.filter((r) => options.course === undefined || toc.some((e) => e.course === r.entry.course)), ...plan.rejected],
    pending: [],
    interrupted: false,
    elapsedMs: 0,
  }
  if (options.dryRun) {
    summary.pending = toFetch
    summary.elapsedMs = performance.now() - started
    return summary
  }

  const fetchOne = async (job: FetchJob): Promise<ChapterResult> => {
    const page = await fetchPage(job.url, options.http, { signal, onRetry: (notice) => progress?.retrying(job, notice) })
    const verdict = validateChapter(page, job.entry, options.baseUrl)
    if (!verdict.ok) return verdict
    await saveAtomic(options.outDir, job.file, page.body)
    return { ok: true }
  }

  const limit = pLimit(options.concurrency)
  progress?.start(toFetch.length)
  await Promise.all(
    toFetch.map((job) =>
      limit(async () => {
        if (signal?.aborted) {
          summary.pending.push(job)
          return
        }
        progress?.chapterStarted(job)
        let result: ChapterResult
        try {
          result = await fetchOne(job)
        } catch (error) {
          // Cancelled by Ctrl-C: not a failure of the chapter; the next run fetches it.
          if (signal?.aborted) {
            summary.pending.push(job)
            return
          }
          result = { ok: false, reason: (error as Error).message }
        }
        if (result.ok) summary.fetched.push(job)
        else summary.failed.push({ job, reason: result.reason })
        progress?.chapterDone(job, result)
        // Politeness: this worker waits before its next request. An abort only cuts the wait short.
        if (options.delayMs > 0 && limit.pendingCount > 0) await sleep(options.delayMs, undefined, { signal }).catch(() => undefined)
      }),
    ),
  )
  progress?.stop()
  summary.interrupted = signal?.aborted ?? false
  summary.elapsedMs = performance.now() - started
  return summary
}
