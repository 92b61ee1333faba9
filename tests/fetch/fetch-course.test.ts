import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadCorpus } from '../../src/corpus/load-corpus.js'
import type { TocEntry } from '../../src/corpus/types.js'
import { fetchCourse, type FetchCourseOptions } from '../../src/fetch/fetch-course.js'
import { USER_AGENT } from '../../src/fetch/http.js'
import { barProgress, lineProgress, type Progress } from '../../src/fetch/progress.js'
import { exitCode, formatSummary } from '../../src/fetch/report.js'
import {
  buildSite,
  chapterPage,
  FAST_HTTP,
  listFiles,
  makeTempCorpus,
  markerOf,
  readSeed,
  SHANGSHOU,
  SHANGSHOU_SEED,
  SHENRU_SEED,
  startSite,
  type Responder,
  type Site,
  type TestServer,
} from './support/site.js'

const SEEDS = { [SHENRU_SEED]: readSeed(SHENRU_SEED), [SHANGSHOU_SEED]: readSeed(SHANGSHOU_SEED) }
let site: Site
beforeAll(() => {
  site = buildSite(Object.values(SEEDS))
})

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function setup(special: Map<string, Responder> = new Map(), files: Record<string, string> = SEEDS, pages = site.pages) {
  const server = await startSite(pages, special)
  const corpus = makeTempCorpus(files)
  cleanups.push(() => server.close(), corpus.cleanup)
  return { server, ...corpus }
}

function options(server: TestServer, out: string, extra: Partial<FetchCourseOptions> = {}): FetchCourseOptions {
  return { baseUrl: server.url, outDir: out, concurrency: 2, delayMs: 0, force: false, dryRun: false, http: FAST_HTTP, ...extra }
}

function entry(course: string, position: number): TocEntry {
  const found = site.entries.find((e) => e.course === course && e.position === position)
  if (!found) throw new Error(`no chapter ${course}#${position}`)
  return found
}

const shangshou = () => site.entries.filter((e) => e.course === SHANGSHOU)
const fetchedFiles = (out: string) => listFiles(out).filter((f) => f.startsWith('fetched/')).sort()
const filesOf = (jobs: readonly { file: string }[]) => jobs.map((j) => j.file).sort()
const reasonOf = (summary: Awaited<ReturnType<typeof fetchCourse>>, e: TocEntry) => summary.failed.find((f) => f.job.entry.path === e.path)?.reason

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

const respond = (status: number, headers: Record<string, string> = {}, body = ''): Responder => (res) => {
  res.writeHead(status, headers).end(body)
  return true
}

describe('fetchCourse', () => {
  it('fetches every chapter of both sidebars, and the corpus loader reads each as its TOC chapter', async () => {
    const { server, out } = await setup()
    const summary = await fetchCourse(options(server, out))

    expect(summary.failed).toEqual([])
    expect(summary.rejected).toEqual([])
    // The two seed chapters are already in the corpus; the 78 others are fetched, each once.
    expect(summary.skipped.map((s) => s.reason).sort()).toEqual([`text already in ${SHANGSHOU_SEED}`, `text already in ${SHENRU_SEED}`])
    expect(summary.fetched).toHaveLength(78)
    expect(server.requests).toHaveLength(78)
    expect(new Set(server.requests.map((r) => r.path)).size).toBe(78)
    expect(server.requests.every((r) => r.userAgent === USER_AGENT)).toBe(true)
    expect(server.maxActive).toBeLessThanOrEqual(2)
    expect(exitCode(summary)).toBe(0)
    expect(fetchedFiles(out)).toEqual(filesOf(summary.fetched))

    const corpus = await loadCorpus({ dir: out, baseUrl: server.url, docsBaseUrl: server.url })
    expect(corpus.warnings).toEqual([])
    expect(corpus.chapters).toHaveLength(80)
    expect(corpus.chapters.filter((c) => c.hasText)).toHaveLength(80)
    for (const job of summary.fetched) {
      const passages = corpus.passages.filter((p) => p.source === job.file)
      expect(new Set(passages.map((p) => p.chapterKey))).toEqual(new Set([`${job.entry.course}#${job.entry.position}`]))
      expect(passages.some((p) => p.text.includes(markerOf(job.entry)))).toBe(true)
    }
  })

  it('keeps one request per worker and pauses between requests', async () => {
    const { server, out } = await setup()
    const summary = await fetchCourse(options(server, out, { course: '上手', concurrency: 1, delayMs: 40 }))
    expect(summary.fetched).toHaveLength(23)
    expect(server.maxActive).toBe(1)
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(35)
  })

  it('resumes after an interrupted run: saved chapters are skipped, the rest fetched, --force fetches again', async () => {
    const { server, out, root } = await setup()
    const controller = new AbortController()
    let done = 0
    const abortAfterFive: Progress = {
      start() {},
      chapterStarted() {},
      retrying() {},
      chapterDone() {
        if (++done === 5) controller.abort()
      },
      stop() {},
    }
    const first = await fetchCourse(options(server, out, { course: SHANGSHOU, concurrency: 1, signal: controller.signal, progress: abortAfterFive }))
    expect(first.interrupted).toBe(true)
    expect(exitCode(first)).toBe(130)
    expect(first.fetched).toHaveLength(5)
    expect(first.pending).toHaveLength(18)
    expect(fetchedFiles(out)).toEqual(filesOf(first.fetched))
    expect(listFiles(root).filter((f) => f.endsWith('.tmp'))).toEqual([])

    const second = await fetchCourse(options(server, out, { course: SHANGSHOU }))
    expect(second.failed).toEqual([])
    expect(filesOf(second.skipped.filter((s) => s.reason === 'already saved').map((s) => s.job))).toEqual(filesOf(first.fetched))
    expect(second.fetched).toHaveLength(18)
    expect(exitCode(second)).toBe(0)
    // Over both runs every chapter was requested exactly once; the seed's chapter (24) never.
    for (const e of shangshou()) expect(server.count(e.path)).toBe(e.position === 24 ? 0 : 1)
    expect(fetchedFiles(out)).toHaveLength(23)

    const forced = await fetchCourse(options(server, out, { course: SHANGSHOU, force: true }))
    expect(forced.fetched).toHaveLength(23)
    expect(forced.skipped.map((s) => s.job.entry.position)).toEqual([24])
  })

  it('retries a 500 and succeeds; gives up on a 503 that persists after the retries', async () => {
    const flaky = entry(SHANGSHOU, 3)
    const broken = entry(SHANGSHOU, 4)
    const special = new Map<string, Responder>([
      [flaky.path, (res, attempt) => attempt === 1 && (res.writeHead(500).end('oops'), true)],
      [broken.path, respond(503)],
    ])
    const { server, out } = await setup(special)
    const log = capture()
    const summary = await fetchCourse(options(server, out, { course: SHANGSHOU, progress: lineProgress(log.stream) }))

    expect(summary.fetched.map((j) => j.entry.path)).toContain(flaky.path)
    expect(server.count(flaky.path)).toBe(2)
    expect(readFileSync(path.join(out, summary.fetched.find((j) => j.entry.path === flaky.path)!.file), 'utf8')).toContain(markerOf(flaky))
    expect(log.text()).toContain(`retry   ${SHANGSHOU} › ${flaky.title}: attempt 1 failed (HTTP 500)`)

    expect(server.count(broken.path)).toBe(1 + FAST_HTTP.retries)
    expect(reasonOf(summary, broken)).toBe(`HTTP 503 (after ${1 + FAST_HTTP.retries} attempts)`)
    expect(summary.fetched).toHaveLength(22)
    expect(exitCode(summary)).toBe(1)
  })

  it('waits out Retry-After on a 429, and does not wait for one longer than the limit', async () => {
    const limited = entry(SHANGSHOU, 5)
    const closed = entry(SHANGSHOU, 6)
    const special = new Map<string, Responder>([
      [limited.path, (res, attempt) => attempt === 1 && (res.writeHead(429, { 'retry-after': '1' }).end(), true)],
      [closed.path, respond(429, { 'retry-after': '3600' })],
    ])
    const { server, out } = await setup(special)
    const started = performance.now()
    const summary = await fetchCourse(options(server, out, { course: SHANGSHOU }))

    const times = server.requests.filter((r) => r.path === limited.path).map((r) => r.at)
    expect(times).toHaveLength(2)
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990)
    expect(summary.fetched.map((j) => j.entry.path)).toContain(limited.path)

    expect(server.count(closed.path)).toBe(1)
    expect(reasonOf(summary, closed)).toMatch(/^HTTP 429, Retry-After 3600 s is longer than the 3 s limit$/)
    expect(performance.now() - started).toBeLessThan(8_000)
  })

  it('reports a permanent 404 once, without retrying, keeps the other chapters and exits non-zero', async () => {
    const missing = entry(SHANGSHOU, 7)
    const { server, out } = await setup(new Map([[missing.path, respond(404, { 'content-type': 'text/plain' }, 'gone')]]))
    const summary = await fetchCourse(options(server, out, { course: SHANGSHOU }))

    expect(server.count(missing.path)).toBe(1)
    expect(summary.failed.map((f) => [f.job.entry.title, f.reason])).toEqual([[missing.title, 'HTTP 404 Not Found']])
    expect(summary.fetched).toHaveLength(22)
    expect(fetchedFiles(out)).toEqual(filesOf(summary.fetched))
    expect(exitCode(summary)).toBe(1)
    const report = formatSummary(summary, out)
    expect(report).toMatch(/^fetched 22, skipped 1, failed 1 in \d+\.\d s/)
    expect(report).toContain(`  ${SHANGSHOU} › ${missing.title}: HTTP 404 Not Found`)
  })

  it('times out a request that never answers, and one whose body stalls; the others are kept', async () => {
    const silent = entry(SHANGSHOU, 8)
    const stalled = entry(SHANGSHOU, 9)
    const special = new Map<string, Responder>([
      [silent.path, () => true],
      [
        stalled.path,
        (res) => {
          const page = site.pages.get(stalled.path)!
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(page)) })
          res.write(page.slice(0, 2000))
          return true
        },
      ],
    ])
    const { server, out } = await setup(special)
    const summary = await fetchCourse(options(server, out, { course: SHANGSHOU, http: { ...FAST_HTTP, timeoutMs: 800, retries: 1 } }))

    expect(reasonOf(summary, silent)).toBe('timed out after 800 ms (after 2 attempts)')
    expect(reasonOf(summary, stalled)).toBe('timed out after 800 ms (after 2 attempts)')
    expect(server.count(silent.path)).toBe(2)
    expect(summary.fetched).toHaveLength(21)
    expect(fetchedFiles(out)).toEqual(filesOf(summary.fetched))
  })

  it('saves only answers that are the chapter: not a login page, an error page, another chapter or an empty body', async () => {
    const [login, redirected, wrongChapter, json, empty, noBody] = [10, 11, 12, 13, 14, 15].map((p) => entry(SHANGSHOU, p)) as [TocEntry, TocEntry, TocEntry, TocEntry, TocEntry, TocEntry]
    const loginPage =
      '<!DOCTYPE html><html><head><title>登录</title></head><body><h1>登录</h1>' +
      '<p>本专栏内容需要登录后才能阅读，请先使用你的账号登录，登录后即可继续学习全部章节。</p>' +
      '<form><input name="user"><button>登录</button></form></body></html>'
    const html = { 'content-type': 'text/html; charset=utf-8' }
    const special = new Map<string, Responder>([
      [login.path, respond(200, html, loginPage)],
      [redirected.path, respond(302, { location: '/login?next=chapter' })],
      ['/login', respond(200, html, loginPage)],
      [wrongChapter.path, respond(200, html, site.pages.get(entry(SHANGSHOU, 1).path)!)],
      [json.path, respond(200, { 'content-type': 'application/json' }, '{"error":"rate limited"}')],
      [empty.path, respond(200, html, '')],
      [noBody.path, respond(200, html, chapterPage(SEEDS[SHANGSHOU_SEED], noBody).replace(/<p>这是[\s\S]*?<\/p>|<h2>[\s\S]*?<\/p>/g, ''))],
    ])
    const { server, out } = await setup(special)
    const summary = await fetchCourse(options(server, out, { course: SHANGSHOU }))

    expect(reasonOf(summary, login)).toBe('no h1#title: not a chapter page (a login or error page?)')
    expect(reasonOf(summary, redirected)).toBe('no h1#title: not a chapter page (a login or error page?)')
    expect(server.count('/login')).toBe(1)
    expect(reasonOf(summary, wrongChapter)).toBe(`page title ${JSON.stringify(entry(SHANGSHOU, 1).title)} is not the chapter's TOC title ${JSON.stringify(wrongChapter.title)}`)
    expect(reasonOf(summary, json)).toBe('not an HTML page (content-type "application/json")')
    expect(reasonOf(summary, empty)).toBe('empty body')
    expect(reasonOf(summary, noBody)).toBe('chapter page has no body text')
    expect(summary.failed).toHaveLength(6)
    // Nothing of theirs was saved; the 17 real chapters were.
    expect(fetchedFiles(out)).toEqual(filesOf(summary.fetched))
    expect(summary.fetched).toHaveLength(17)
  })

  it('does not follow a redirect to another origin', async () => {
    const other = await startSite(site.pages)
    cleanups.push(() => other.close())
    const moved = entry(SHANGSHOU, 16)
    const { server, out } = await setup(new Map([[moved.path, respond(302, { location: `${other.url}${encodeURI(moved.path)}` })]]))
    const summary = await fetchCourse(options(server, out, { course: SHANGSHOU }))

    expect(reasonOf(summary, moved)).toBe(`HTTP 302 redirect to another origin (${other.url}), not followed`)
    expect(other.requests).toEqual([])
    expect(server.count(moved.path)).toBe(1)
    expect(fetchedFiles(out)).toEqual(filesOf(summary.fetched))
    expect(summary.fetched).toHaveLength(22)
  })

  it('with hostile sidebar hrefs and titles, requests nothing off-site or outside the course and writes nothing outside --out', async () => {
    const other = await startSite(site.pages)
    cleanups.push(() => other.close())
    const course = `/专栏/${SHANGSHOU}`
    const longTitle = `../../../../escape-g/${'长'.repeat(200)}`
    const hostile: [href: string, text: string][] = [
      [`${other.url}${course}/25 off-site.md`, '25 off-site.md'],
      [`javascript:alert('${course}/26 js.md')`, '26 js.md'],
      [`${course}/../../../../etc/x.md`, '27 dots.md'],
      [`${course}/..%2F..%2F..%2F..%2Fescape-d.md`, '28 encoded.md'],
      [`/专栏/..%2F..%2F..%2Fescape-e/x.md`, '../../../escape-e'],
      [`${course}/nul%00byte.md`, '29 nul.md'],
      [`${course}/hostile.md`, `${longTitle}.md`],
    ]
    const links = hostile.map(([href, text]) => `<li><a class="menu-item" href="${href.replace(/"/g, '&quot;')}">${text}</a></li>`).join('\n')
    const hostileSeed = SEEDS[SHANGSHOU_SEED].replace(/(<a class="menu-item"[^]*?<\/li>)(\s*<\/ul>)/, `$1\n${links}$2`)
    expect(hostileSeed).not.toBe(SEEDS[SHANGSHOU_SEED])
    const hostileSite = buildSite([hostileSeed])
    const pages = new Map([...site.pages, ...hostileSite.pages])
    const { server, out, root } = await setup(new Map(), { [SHANGSHOU_SEED]: hostileSeed }, pages)
    const etcBefore = existsSync('/etc/x.md')

    const summary = await fetchCourse(options(server, out))

    const rejected = summary.rejected.map((r) => r.reason)
    expect(rejected).toEqual([
      expect.stringMatching(/^href ".*25 off-site\.md" is off-site \(only http:\/\/127\.0\.0\.1:\d+ is fetched\)$/),
      expect.stringMatching(/^href "javascript:.*" is not an http\(s\) link$/),
      expect.stringMatching(/^href ".*escape-d\.md" decodes to a path with "\.\." or "\." segments$/),
      expect.stringMatching(/^href "\/专栏\/\.\.%2F.*escape-e\/x\.md" decodes to a path with "\.\." or "\." segments$/),
      expect.stringMatching(/^href ".*nul%00byte\.md" decodes to a path with control characters or backslashes$/),
    ])
    expect(other.requests).toEqual([])
    // Only the course's own chapters and the hostile-titled one were requested.
    const allowed = new Set([...shangshou().map((e) => e.path), `${course}/hostile.md`])
    expect(server.requests.filter((r) => !allowed.has(r.path))).toEqual([])
    expect(server.requests).toHaveLength(24)
    expect(existsSync('/etc/x.md')).toBe(etcBefore)

    // The hostile title was fetched (its href is fine) and saved under a sanitised, capped name inside --out.
    const saved = summary.fetched.find((j) => j.entry.path === `${course}/hostile.md`)
    expect(saved?.file).toMatch(/^fetched\/Kubernetes 从上手到实践\/29-escape-g_长+\.html$/)
    expect(Buffer.byteLength(path.basename(saved!.file))).toBeLessThanOrEqual(200)
    expect(summary.failed).toEqual([])
    for (const file of listFiles(root)) expect(file.startsWith('a/b/out/')).toBe(true)
    for (const file of listFiles(out)) expect(file === SHANGSHOU_SEED || file.startsWith('fetched/Kubernetes 从上手到实践/')).toBe(true)
  })

  it('--dry-run plans without requesting or writing anything', async () => {
    const { server, out } = await setup()
    const summary = await fetchCourse(options(server, out, { dryRun: true }))
    expect(server.requests).toEqual([])
    expect(fetchedFiles(out)).toEqual([])
    expect(summary.pending).toHaveLength(78)
    const report = formatSummary(summary, out)
    const first = summary.pending[0]!
    expect(report).toContain(`would fetch ${first.entry.course} › ${first.entry.title}\n  ${first.url}\n  → ${out}/${first.file}`)
    expect(report).toContain('would fetch 78, skip 2')
  })

  it('reads the TOC from CORPUS_DIR when --out has no course page yet', async () => {
    const { server, out } = await setup(new Map(), {})
    const fallback = makeTempCorpus({ [SHANGSHOU_SEED]: SEEDS[SHANGSHOU_SEED] })
    cleanups.push(fallback.cleanup)
    const summary = await fetchCourse(options(server, out, { fallbackTocDir: fallback.out }))
    expect(summary.tocSource).toBe(fallback.out)
    // --out does not hold the seed's chapter, so all 24 are fetched into it.
    expect(summary.fetched).toHaveLength(24)
    expect(fetchedFiles(out)).toHaveLength(24)
    const empty = makeTempCorpus()
    cleanups.push(empty.cleanup)
    await expect(fetchCourse(options(server, empty.out))).rejects.toThrow(/no course page with a sidebar TOC/)
  })

  it('names the courses when --course matches none', async () => {
    const { server, out } = await setup()
    await expect(fetchCourse(options(server, out, { course: 'no-such-course' }))).rejects.toThrow(
      `--course: no course matches "no-such-course"; courses: 深入剖析Kubernetes, ${SHANGSHOU}`,
    )
    expect(server.requests).toEqual([])
  })

  it('on a terminal, shows a bar with counts and the failures', async () => {
    const missing = entry(SHANGSHOU, 2)
    const { server, out } = await setup(new Map([[missing.path, respond(404)]]))
    const terminal = capture()
    Object.assign(terminal.stream, { isTTY: true, columns: 160 })
    await fetchCourse(options(server, out, { course: SHANGSHOU, progress: barProgress(terminal.stream) }))
    const text = terminal.text()
    expect(text).toContain(`FAILED  ${SHANGSHOU} › ${missing.title}: HTTP 404 Not Found`)
    expect(text).toMatch(/23\/23 \| fetched 22 \| failed 1 \|/)
  })
})
