import { MultiBar, Presets, type SingleBar } from 'cli-progress'
import type { RetryNotice } from './http.js'
import type { FetchJob } from './plan.js'

export type ChapterResult = { ok: true } | { ok: false; reason: string }

/** What the fetcher tells the operator while it runs. */
export interface Progress {
  start(total: number): void
  chapterStarted(job: FetchJob): void
  retrying(job: FetchJob, notice: RetryNotice): void
  chapterDone(job: FetchJob, result: ChapterResult): void
  stop(): void
}

/** Sidebar text is untrusted: control and format characters (terminal escapes, bidi overrides) are shown as �. */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD')
}

export function label(job: FetchJob): string {
  return printable(`${job.entry.course} › ${job.entry.title}`)
}

function retryText(job: FetchJob, notice: RetryNotice): string {
  const wait = notice.retryAfterMs ? `, server asked to wait ${Math.ceil(notice.retryAfterMs / 1000)} s` : ''
  return `retry   ${label(job)}: attempt ${notice.attempt} failed (${printable(notice.reason)})${wait}`
}

/** For logs and pipes: one line per chapter as it finishes, plus a line per retry. */
export function lineProgress(stream: NodeJS.WritableStream): Progress {
  let total = 0
  let done = 0
  return {
    start(count) {
      total = count
    },
    chapterStarted() {},
    retrying(job, notice) {
      stream.write(`${retryText(job, notice)}\n`)
    },
    chapterDone(job, result) {
      done++
      const text = result.ok ? `fetched ${label(job)} → ${job.file}` : `FAILED  ${label(job)}: ${printable(result.reason)}`
      stream.write(`[${done}/${total}] ${text}\n`)
    },
    stop() {},
  }
}

/** For a terminal: a bar with counts and the chapter being fetched; retries and failures are printed above it. */
export function barProgress(stream: NodeJS.WritableStream): Progress {
  const multi = new MultiBar(
    {
      stream,
      format: '{bar} {value}/{total} | fetched {fetched} | failed {failed} | {chapter}',
      barsize: 24,
      hideCursor: true,
      // Long CJK titles would wrap and break the redraw.
      linewrap: false,
    },
    Presets.shades_classic,
  )
  let bar: SingleBar | undefined
  let fetched = 0
  let failed = 0
  return {
    start(count) {
      bar = multi.create(count, 0, { fetched, failed, chapter: '' })
    },
    chapterStarted(job) {
      bar?.update({ chapter: label(job) })
    },
    retrying(job, notice) {
      multi.log(`${retryText(job, notice)}\n`)
    },
    chapterDone(job, result) {
      if (result.ok) fetched++
      else {
        failed++
        multi.log(`FAILED  ${label(job)}: ${printable(result.reason)}\n`)
      }
      bar?.increment(1, { fetched, failed })
    },
    stop() {
      // The bar only prints logged lines on its next redraw; redraw once so the last ones are not lost.
      multi.update()
      multi.stop()
    },
  }
}

/** A bar on a terminal, log lines otherwise. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream)
}
