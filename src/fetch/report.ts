import type { FetchSummary } from './fetch-course.js'
import type { FetchJob } from './plan.js'
import { label, printable } from './progress.js'

const EXIT_OK = 0
const EXIT_FAILED = 1
/** As a shell reports a process ended by SIGINT. */
const EXIT_INTERRUPTED = 130

/** 0 only when nothing failed and the run was not interrupted. */
export function exitCode(summary: FetchSummary): number {
  if (summary.interrupted) return EXIT_INTERRUPTED
  return summary.failed.length > 0 ? EXIT_FAILED : EXIT_OK
}

function byPosition<T>(items: readonly T[], job: (item: T) => FetchJob): T[] {
  return [...items].sort((a, b) => job(a).entry.course.localeCompare(job(b).entry.course) || job(a).entry.position - job(b).entry.position)
}

function countBy(reasons: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1)
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join('; ')
}

/** The end-of-run report: counts and elapsed time first, then every failure with its reason, then warnings. */
export function formatSummary(summary: FetchSummary, outDir: string): string {
  const lines: string[] = []
  const seconds = (summary.elapsedMs / 1000).toFixed(1)
  if (summary.dryRun) {
    lines.push(`Dry run (TOC from ${summary.tocSource}): nothing was requested or written.`)
    for (const job of summary.pending) lines.push(`would fetch ${label(job)}`, `  ${job.url}`, `  → ${outDir}/${job.file}`)
    lines.push(`would fetch ${summary.pending.length}, skip ${summary.skipped.length}`)
  } else {
    lines.push(`fetched ${summary.fetched.length}, skipped ${summary.skipped.length}, failed ${summary.failed.length} in ${seconds} s (TOC from ${summary.tocSource})`)
  }
  if (summary.skipped.length > 0) {
    lines.push(`skipped: ${countBy(summary.skipped.map((s) => s.reason))}${summary.dryRun ? '' : ' (--force fetches saved chapters again)'}`)
  }
  if (summary.failed.length > 0) {
    lines.push('failed:')
    for (const { job, reason } of byPosition(summary.failed, (f) => f.job)) lines.push(`  ${label(job)}: ${printable(reason)}`, `    ${job.url}`)
  }
  if (summary.rejected.length > 0) {
    lines.push('warnings (sidebar entries not fetched):')
    for (const { entry, reason } of summary.rejected) lines.push(`  ${printable(`${entry.course} › ${entry.title}`)}: ${reason}`)
  }
  if (summary.interrupted) {
    lines.push(`interrupted: ${summary.pending.length} chapters not fetched; run the same command again to fetch the rest`)
  } else if (summary.failed.length > 0) {
    lines.push('saved chapters are kept; run the same command again to retry the failed ones')
  }
  return lines.join('\n')
}
