// npm run fetch-course: download the chapters listed in the corpus TOC into the corpus, politely and resumably.
import '../src/cli/top-level.js'
import path from 'node:path'
import { fail, parseCli } from '../src/cli/args.js'
import { ConfigError, loadLibraryConfig } from '../src/config.js'
import { FetchSetupError } from '../src/fetch/corpus-toc.js'
import { fetchCourse } from '../src/fetch/fetch-course.js'
import { DEFAULT_HTTP_OPTIONS } from '../src/fetch/http.js'
import { createProgress } from '../src/fetch/progress.js'
import { exitCode, formatSummary } from '../src/fetch/report.js'

const DEFAULTS = { concurrency: 2, delayMs: 500, timeoutMs: DEFAULT_HTTP_OPTIONS.timeoutMs }

const USAGE = `Usage: npm run fetch-course -- [options]

Downloads the chapters listed in the sidebars of the course pages in the corpus and saves
each one as <out>/fetched/<course>/<NN>-<title>.html, ready for \`npm run index\`.
Chapters already saved are skipped, so a run that was interrupted resumes where it stopped.
Only pages whose title is the chapter's are saved; anything else is reported.

Options:
  --base-url URL     site to fetch from (default: COURSE_BASE_URL); no other origin is contacted
  --out DIR          corpus folder to save into (default: CORPUS_DIR, i.e. corpus/)
  --course NAME      only this course (a part of its name is enough, e.g. 深入剖析)
  --concurrency N    requests at a time, 1 to 8 (default ${DEFAULTS.concurrency})
  --delay-ms N       pause after each request, per worker, 0 to 60000 (default ${DEFAULTS.delayMs})
  --timeout-ms N     timeout of each request, 100 to 300000 (default ${DEFAULTS.timeoutMs})
  --force            fetch again the chapters already saved
  --dry-run          list what would be fetched and where it would be saved; fetch nothing
  -h, --help         this text

The chapter list is read from the pages already in --out, or from CORPUS_DIR when --out has
none. Exit code: 0 when nothing failed; 1 when some chapter failed (the others are kept);
2 for bad options; 130 when interrupted (Ctrl-C), after which a re-run fetches the rest.`

const { values, positionals } = parseCli(
  {
    'base-url': { type: 'string' },
    out: { type: 'string' },
    course: { type: 'string' },
    concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
    'delay-ms': { type: 'string', default: String(DEFAULTS.delayMs) },
    'timeout-ms': { type: 'string', default: String(DEFAULTS.timeoutMs) },
    force: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (positionals.length > 0) fail(`unexpected argument "${positionals[0]}"\n\n${USAGE}`)

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(`--${name}: "${raw}" must be a whole number from ${min} to ${max}\n\n${USAGE}`)
  return Number(raw)
}

function httpBase(raw: string, origin: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    fail(`${origin}: "${raw}" is not a URL; give an http(s) address such as http://127.0.0.1:8080`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${origin}: "${raw}" must start with http:// or https://`)
  return raw.replace(/\/+$/, '')
}

const concurrency = wholeNumber('concurrency', values.concurrency, 1, 8)
const delayMs = wholeNumber('delay-ms', values['delay-ms'], 0, 60_000)
const timeoutMs = wholeNumber('timeout-ms', values['timeout-ms'], 100, 300_000)
// Not libraryConfigOrExit from src/cli/library-cli.ts: that module loads the search library (jieba, Orama),
// which costs a second of start-up the fetcher never uses.
function configOrExit() {
  try {
    return loadLibraryConfig()
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
}

const config = configOrExit()
const baseUrl = values['base-url'] === undefined ? config.courseBaseUrl : httpBase(values['base-url'], '--base-url')
const outDir = values.out === undefined ? config.corpusDir : path.resolve(values.out)

// First Ctrl-C (or SIGTERM): stop starting requests, cancel those in flight, report. Second: quit at once.
// Files are written atomically, so either way only complete chapters are left behind.
const controller = new AbortController()
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130)
  process.stderr.write(`\n${signal}: stopping; finished chapters are kept (press Ctrl-C again to quit at once)\n`)
  controller.abort(new Error(`interrupted by ${signal}`))
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

try {
  const summary = await fetchCourse({
    baseUrl,
    outDir,
    fallbackTocDir: config.corpusDir,
    course: values.course,
    concurrency,
    delayMs,
    force: values.force,
    dryRun: values['dry-run'],
    http: { ...DEFAULT_HTTP_OPTIONS, timeoutMs },
    signal: controller.signal,
    progress: createProgress(process.stderr),
  })
  console.log(formatSummary(summary, outDir))
  process.exitCode = exitCode(summary)
} catch (error) {
  if (error instanceof FetchSetupError) fail(error.message)
  throw error
} finally {
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
}
