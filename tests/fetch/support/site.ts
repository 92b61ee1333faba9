/**
 * A fake course site on 127.0.0.1 for the fetcher's tests, built from the bundled seed pages: every chapter in
 * a seed's sidebar gets a page with the seed's layout and sidebar, its own h1#title and its own body text
 * (with a marker word found in no other chapter). Individual paths can be given special answers.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import * as cheerio from 'cheerio'
import { PROJECT_ROOT } from '../../../src/config.js'
import { parseCoursePage, safeDecode } from '../../../src/corpus/course-page.js'
import type { TocEntry } from '../../../src/corpus/types.js'
import { DEFAULT_HTTP_OPTIONS, type HttpOptions } from '../../../src/fetch/http.js'

export const SEED_DIR = path.join(PROJECT_ROOT, 'corpus')
export const SHENRU_SEED = 'shenru-kubernetes-closing.html'
export const SHANGSHOU_SEED = 'shangshou-kubernetes-closing.html'
export const FRAGMENT_SEED = 'shenru-kubernetes-closing-fragment.txt'
/** The course of the shorter seed (24 chapters), used where a whole course is enough. */
export const SHANGSHOU = 'Kubernetes 从上手到实践'

export function readSeed(name: string): string {
  return readFileSync(path.join(SEED_DIR, name), 'utf8')
}

/** Retries and timeouts in milliseconds, so that failure paths take moments. */
export const FAST_HTTP: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, timeoutMs: 2_000, retries: 2, minBackoffMs: 5, maxBackoffMs: 20, maxRetryAfterMs: 3_000 }

/** A word only this chapter's served page contains (ASCII, so the tokenizer keeps it whole). */
export function markerOf(entry: TocEntry): string {
  return `fetchmark${entry.course === SHANGSHOU ? 'b' : 'a'}${entry.position}`
}

/** The seed page turned into `entry`'s chapter: same layout and sidebar, its own title and body. */
export function chapterPage(seedHtml: string, entry: TocEntry, title = entry.title): string {
  const $ = cheerio.load(seedHtml)
  $('title').text(title)
  $('h1#title').text(title).attr('data-id', title)
  const marker = markerOf(entry)
  $('div.book-post').first().children('div').first().html(
    `<p>这是《${entry.course}》第 ${entry.position} 章的测试正文，用来确认抓取到的章节进入索引，标记词 ${marker}。</p>` +
      `<h2>小结</h2><p>第 ${entry.position} 章讲到的要点之一：控制器会不断对比期望状态与实际状态，编号 ${entry.position}-${marker}。</p>`,
  )
  return $.html()
}

export interface Site {
  entries: TocEntry[]
  /** Decoded request path → page. */
  pages: Map<string, string>
}

/** Every chapter of the given seed pages' sidebars as a page. */
export function buildSite(seedHtmls: readonly string[]): Site {
  const entries: TocEntry[] = []
  const pages = new Map<string, string>()
  for (const html of seedHtmls) {
    for (const entry of parseCoursePage(html, 'http://site.invalid').toc) {
      entries.push(entry)
      pages.set(entry.path, chapterPage(html, entry))
    }
  }
  return { entries, pages }
}

export interface ServedRequest {
  /** Decoded path. */
  path: string
  at: number
  userAgent: string | undefined
}

/** Answers one request for a path and returns true, or returns false to let the page be served as usual. `attempt` counts from 1. */
export type Responder = (res: ServerResponse, attempt: number, req: IncomingMessage) => boolean

export interface TestServer {
  /** `http://127.0.0.1:PORT`, also the server's origin. */
  url: string
  requests: ServedRequest[]
  /** Most requests in flight at once. */
  maxActive: number
  count(path: string): number
  close(): Promise<void>
}

/** An HTTP server on 127.0.0.1 (port chosen by the OS) serving `pages`, with `special` answers for some paths. */
export async function startSite(pages: ReadonlyMap<string, string>, special: ReadonlyMap<string, Responder> = new Map()): Promise<TestServer> {
  const requests: ServedRequest[] = []
  let active = 0
  const state = { maxActive: 0 }
  const server = createServer((req, res) => {
    const decoded = safeDecode(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
    requests.push({ path: decoded, at: performance.now(), userAgent: req.headers['user-agent'] })
    active++
    state.maxActive = Math.max(state.maxActive, active)
    res.on('close', () => active--)
    const attempt = requests.filter((r) => r.path === decoded).length
    if (special.get(decoded)?.(res, attempt, req)) return
    const page = pages.get(decoded)
    if (page === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxActive() {
      return state.maxActive
    },
    count: (p) => requests.filter((r) => r.path === p).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A temporary folder tree with `files` (name → content) in `out`, which sits two levels down so that escapes upward land where the test can look. */
export function makeTempCorpus(files: Readonly<Record<string, string>> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fetch-course-'))
  const out = path.join(root, 'a', 'b', 'out')
  mkdirSync(out, { recursive: true })
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(out, name), content)
  return { root, out, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

/** Every file below `dir`, relative, with `/` separators. */
export function listFiles(dir: string, rel = ''): string[] {
  const files: string[] = []
  for (const name of readdirSync(path.join(dir, rel))) {
    const relPath = rel ? `${rel}/${name}` : name
    if (statSync(path.join(dir, relPath)).isDirectory()) files.push(...listFiles(dir, relPath))
    else files.push(relPath)
  }
  return files
}
