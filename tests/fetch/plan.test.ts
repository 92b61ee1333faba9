import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCorpus } from '../../src/corpus/load-corpus.js'
import type { TocEntry } from '../../src/corpus/types.js'
import { parseRetryAfter } from '../../src/fetch/http.js'
import { chapterFile, isInside, safeName } from '../../src/fetch/paths.js'
import { chapterUrl, planJobs } from '../../src/fetch/plan.js'
import { validateChapter } from '../../src/fetch/validate.js'
import { chapterPage, readSeed, SEED_DIR, SHANGSHOU_SEED } from './support/site.js'

const BASE = 'http://127.0.0.1:8080'

function tocEntry(fields: Partial<TocEntry> & Pick<TocEntry, 'title'>): TocEntry {
  const path = fields.path ?? `/专栏/课程/${fields.title}.md`
  return { course: '课程', position: 1, number: null, url: `${BASE}${path}`, path, href: encodeURI(path), ...fields }
}

describe('safeName', () => {
  it.each([
    ['../../etc/passwd', 'etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['nul\u0000byte\u0007bell\u001b[31mred', 'nulbytebell[31mred'],
    ['bidi\u202etxt.exe', 'biditxt.exe'],
    ['..', 'fallback'],
    ['...hidden', 'hidden'],
    ['  ', 'fallback'],
    ['a..b', 'a.b'],
    ['CON:*?"<>|', 'CON_______'],
    ['13 为什么我们需要Pod？', '13 为什么我们需要Pod？'],
  ])('%j → %j', (input, expected) => {
    expect(safeName(input, 'fallback')).toBe(expected)
  })

  it('caps long names by bytes without splitting a character', () => {
    const name = safeName('长'.repeat(500), 'x')
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(180)
    expect(name).toBe('长'.repeat(60))
  })
})

describe('chapterFile', () => {
  it('names a file after course, position and title, always inside fetched/', () => {
    expect(chapterFile(tocEntry({ title: '13 为什么我们需要Pod？', position: 14 }))).toBe('fetched/课程/14-13 为什么我们需要Pod？.html')
    const hostile = chapterFile(tocEntry({ course: '../..', title: '/../../../etc/x', position: 3 }))
    expect(hostile).toBe('fetched/course/03-etc_x.html')
    expect(isInside('/srv/out', path.join('/srv/out', hostile))).toBe(true)
  })

  it('isInside rejects parents and siblings but not names that merely start with dots', () => {
    expect(isInside('/srv/out', '/srv/out/a/../b')).toBe(true)
    expect(isInside('/srv/out', '/srv/out/../x')).toBe(false)
    expect(isInside('/srv/out', '/srv/outside')).toBe(false)
    expect(isInside('/srv/out', '/srv/out/..x')).toBe(true)
  })
})

describe('planJobs', () => {
  it('requests base URL plus the decoded path, keeping ?, # and % as path characters', () => {
    expect(chapterUrl(new URL('http://h:1/mirror/?q=1'), '/专栏/k8s/1 a?b#c%d.md')).toBe(
      'http://h:1/mirror/%E4%B8%93%E6%A0%8F/k8s/1%20a%3Fb%23c%25d.md',
    )
  })

  it('rejects off-site, non-http, traversing and NUL hrefs, and two chapters sharing one file', () => {
    const toc = [
      tocEntry({ title: 'ok', position: 1 }),
      tocEntry({ title: 'off', position: 2, href: 'https://elsewhere.invalid/专栏/课程/off.md' }),
      tocEntry({ title: 'js', position: 3, href: 'javascript:alert(1)' }),
      tocEntry({ title: 'up', position: 4, path: '/专栏/课程/../../x.md', href: '/专栏/课程/..%2F..%2Fx.md' }),
      tocEntry({ title: 'nul', position: 5, path: '/专栏/课程/a\u0000b.md', href: '/专栏/课程/a%00b.md' }),
      tocEntry({ title: 'OK', position: 1, path: '/专栏/课程/other.md' }),
    ]
    const plan = planJobs(toc, { baseUrl: BASE, outDir: '/srv/out' })
    expect(plan.jobs.map((j) => [j.url, j.file])).toEqual([[`${BASE}/%E4%B8%93%E6%A0%8F/%E8%AF%BE%E7%A8%8B/ok.md`, 'fetched/课程/01-ok.html']])
    expect(plan.rejected.map((r) => [r.entry.title, r.reason])).toEqual([
      ['off', 'href "https://elsewhere.invalid/专栏/课程/off.md" is off-site (only http://127.0.0.1:8080 is fetched)'],
      ['js', 'href "javascript:alert(1)" is not an http(s) link'],
      ['up', 'href "/专栏/课程/..%2F..%2Fx.md" decodes to a path with ".." or "." segments'],
      ['nul', 'href "/专栏/课程/a%00b.md" decodes to a path with control characters or backslashes'],
      ['OK', 'would be saved to the same file as "ok" (fetched/课程/01-ok.html)'],
    ])
  })
})

describe('validateChapter', () => {
  const seed = readSeed(SHANGSHOU_SEED)
  const entry = tocEntry({ course: 'Kubernetes 从上手到实践', title: '03 宏观认识：整体架构' })
  const html = 'text/html; charset=utf-8'

  it('accepts the chapter page even when its title is spaced or punctuated differently', () => {
    const page = chapterPage(seed, entry, '03  宏观认识: 整体架构')
    expect(validateChapter({ contentType: html, body: page }, entry, BASE)).toEqual({ ok: true, passages: 2 })
  })

  it('rejects a chapter page whose sidebar does not list it under its course', () => {
    const page = chapterPage(seed, entry).replace(/<a class="menu-item"[^>]*>03 [^<]*<\/a>/, '')
    expect(validateChapter({ contentType: html, body: page }, entry, BASE)).toEqual({
      ok: false,
      reason: "the page's sidebar does not list this chapter under Kubernetes 从上手到实践, so the index could not file it there",
    })
  })

  it('sniffs HTML only when no content type is given', () => {
    const page = chapterPage(seed, entry)
    expect(validateChapter({ contentType: '', body: page }, entry, BASE).ok).toBe(true)
    expect(validateChapter({ contentType: 'text/plain', body: page }, entry, BASE)).toEqual({ ok: false, reason: 'not an HTML page (content-type "text/plain")' })
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('corpus/.gitignore', () => {
  it('is ignored by the corpus loader, not read as a chapter', async () => {
    const corpus = await loadCorpus({ dir: SEED_DIR, baseUrl: BASE, docsBaseUrl: BASE })
    expect(corpus.ignored).toContain('.gitignore')
    expect(corpus.files.map((f) => f.file)).not.toContain('.gitignore')
    expect(corpus.warnings.map((w) => w.file)).not.toContain('.gitignore')
  })
})
