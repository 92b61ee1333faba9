// Parsing the site's course pages: the TOC from the sidebar, the chapter body as passages, boilerplate left out.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadLibraryConfig } from '../../src/config.js'
import { parseCoursePage } from '../../src/corpus/course-page.js'
import { detectFormat } from '../../src/corpus/detect.js'
import { loadCorpus, type Corpus } from '../../src/corpus/load-corpus.js'
import { MIN_PASSAGE_CHARS, PASSAGE_TEXT_LIMIT, blocksToPassages } from '../../src/corpus/passages.js'
import {
  BASE_URL,
  KEY_CLOSING,
  KEY_SUMMARY,
  SEEDS,
  SEED_PASSAGES,
  SEED_PASSAGE_TOTAL,
  SHANGSHOU,
  SHENRU,
  TITLE_CLOSING,
  copySeeds,
  corpusOptions,
  loadSeedCorpus,
  readFixture,
  readSeed,
  removeTempDirs,
  tempDir,
} from './helpers.js'

/** The sidebar links of a page, read with a plain regex so the test does not share the parser's code. */
function rawMenuItems(html: string): { href: string; text: string }[] {
  return [...html.matchAll(/<a\b[^>]*class="menu-item"[^>]*>([^<]*)<\/a>/g)].map((m) => ({
    href: /href="([^"]*)"/.exec(m[0])![1]!,
    text: m[1]!,
  }))
}

/** The text of every `<p>` between the chapter title and the copyright, tags stripped, whitespace collapsed. */
function rawBodyParagraphs(html: string): string[] {
  const body = html.slice(html.indexOf('id="title"'), html.indexOf('class="copyright"'))
  return [...body.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>/g)]
    .map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim())
    .filter((t) => t.length > 0)
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()
const pad2 = (n: number) => String(n).padStart(2, '0')

let shenruHtml: string
let shangshouHtml: string
let corpus: Corpus

beforeAll(async () => {
  shenruHtml = await readSeed(SEEDS.shenru)
  shangshouHtml = await readSeed(SEEDS.shangshou)
  corpus = await loadSeedCorpus()
})
afterAll(removeTempDirs)

describe('table of contents from the sidebar (a.menu-item)', () => {
  it('has 56 entries for 深入剖析Kubernetes, numbered 00…52, then 特别放送 ×2 and 结束语 without a number', () => {
    const { toc } = parseCoursePage(shenruHtml, BASE_URL)
    expect(toc).toHaveLength(56)
    expect(new Set(toc.map((e) => e.course))).toEqual(new Set([SHENRU]))
    expect(toc.map((e) => e.position)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1))
    expect(toc.map((e) => e.number)).toEqual([...Array.from({ length: 53 }, (_, i) => pad2(i)), null, null, null])
    expect(toc[0]!.title).toBe('00 开篇词 打通“容器技术”的任督二脉')
    expect(toc[13]!.title).toBe('13 为什么我们需要Pod？')
    expect(toc[53]!.title).toBe('特别放送 2019 年，容器技术生态会发生些什么？')
    expect(toc[55]!.title).toBe(TITLE_CLOSING)
  })

  it('has 24 entries for Kubernetes 从上手到实践, numbered 01…24', () => {
    const { toc } = parseCoursePage(shangshouHtml, BASE_URL)
    expect(toc).toHaveLength(24)
    expect(new Set(toc.map((e) => e.course))).toEqual(new Set([SHANGSHOU]))
    expect(toc.map((e) => e.number)).toEqual(Array.from({ length: 24 }, (_, i) => pad2(i + 1)))
    expect(toc[12]!.title).toBe('13 庖丁解牛：etcd')
    expect(toc[23]!.title).toBe('24 总结')
  })

  it.each([
    ['深入剖析Kubernetes', SEEDS.shenru],
    ['Kubernetes 从上手到实践', SEEDS.shangshou],
  ])('%s: titles are the link texts without ".md", URLs are the base plus the decoded href', async (_course, seed) => {
    const html = await readSeed(seed)
    const raw = rawMenuItems(html)
    const { toc } = parseCoursePage(html, BASE_URL)
    expect(toc).toHaveLength(raw.length)
    toc.forEach((entry, i) => {
      expect(entry.title).not.toMatch(/\.md$/)
      expect(entry.title).toBe(collapse(raw[i]!.text.replace(/\.md$/, '')))
      expect(entry.href).toBe(raw[i]!.href)
      expect(entry.url).toBe(BASE_URL + decodeURIComponent(raw[i]!.href))
      expect(entry.url.startsWith(`${BASE_URL}/专栏/${entry.course}/`)).toBe(true)
    })
  })

  it('spells out one URL exactly', () => {
    const entry = parseCoursePage(shenruHtml, BASE_URL).toc[13]!
    expect(entry.url).toBe('https://learn.lianglianglee.com/专栏/深入剖析Kubernetes/13 为什么我们需要Pod？.md')
  })

  it('covers both courses in the loaded corpus: 56 + 24 = 80 entries and 80 chapters, 2 of them with text', () => {
    expect(corpus.toc).toHaveLength(80)
    expect(corpus.toc.filter((e) => e.course === SHENRU)).toHaveLength(56)
    expect(corpus.toc.filter((e) => e.course === SHANGSHOU)).toHaveLength(24)
    expect(corpus.chapters).toHaveLength(80)
    expect(new Set(corpus.chapters.map((c) => c.key)).size).toBe(80)
    expect(corpus.chapters.filter((c) => c.hasText).map((c) => c.key).sort()).toEqual([KEY_SUMMARY, KEY_CLOSING].sort())
  })

  it('COURSE_BASE_URL is one setting that changes every course URL', async () => {
    expect(loadLibraryConfig({}).courseBaseUrl).toBe(BASE_URL)
    const config = loadLibraryConfig({ COURSE_BASE_URL: 'https://mirror.example.org/learn/' })
    expect(config.courseBaseUrl).toBe('https://mirror.example.org/learn')
    const mirrored = await loadSeedCorpus(config.courseBaseUrl)
    const urls = [...mirrored.toc.map((e) => e.url), ...mirrored.chapters.map((c) => c.url)]
    expect(urls).toHaveLength(160)
    for (const url of urls) {
      expect(url.startsWith('https://mirror.example.org/learn/专栏/')).toBe(true)
      expect(url).not.toContain('lianglianglee')
    }
    // Same chapters, only the base differs.
    expect(mirrored.toc.map((e) => e.url.slice('https://mirror.example.org/learn'.length))).toEqual(
      corpus.toc.map((e) => e.url.slice(BASE_URL.length)),
    )
  })

  it('rejects a COURSE_BASE_URL that is not an http(s) URL, naming the variable', () => {
    expect(() => loadLibraryConfig({ COURSE_BASE_URL: 'learn.lianglianglee.com' })).toThrow(ConfigError)
    expect(() => loadLibraryConfig({ COURSE_BASE_URL: 'ftp://example.org' })).toThrow(/COURSE_BASE_URL/)
  })
})

describe('chapter text of the seed pages', () => {
  it('reads course, title and own TOC entry of each page', () => {
    const summary = parseCoursePage(shangshouHtml, BASE_URL)
    expect(summary.course).toBe(SHANGSHOU)
    expect(summary.title).toBe('24 总结')
    expect(summary.entry).toMatchObject({ course: SHANGSHOU, position: 24, number: '24' })
    const closing = parseCoursePage(shenruHtml, BASE_URL)
    expect(closing.course).toBe(SHENRU)
    expect(closing.title).toBe(TITLE_CLOSING)
    expect(closing.entry).toMatchObject({ course: SHENRU, position: 56, number: null })
  })

  it('counts passages per course: 5 for 24 总结, 4 for 结束语, plus 30 reader comments', () => {
    const count = (key: string, kind?: string) =>
      corpus.passages.filter((p) => p.chapterKey === key && (kind ? p.kind === kind : p.kind !== 'comment')).length
    expect(count(KEY_SUMMARY)).toBe(SEED_PASSAGES.summary)
    expect(count(KEY_CLOSING)).toBe(SEED_PASSAGES.closing)
    expect(corpus.passages.filter((p) => p.kind !== 'comment')).toHaveLength(SEED_PASSAGE_TOTAL)
    expect(count(KEY_CLOSING, 'comment')).toBe(30)
    expect(corpus.passages.filter((p) => p.kind === 'comment')).toHaveLength(30)
    expect(corpus.warnings).toEqual([])
    expect(corpus.files.map((f) => [f.file, f.format, f.passages, f.comments]).sort()).toEqual(
      [
        [SEEDS.shangshou, 'course-page', SEED_PASSAGES.summary, 0],
        [SEEDS.shenru, 'course-page', SEED_PASSAGES.closing, 0],
        [SEEDS.fragment, 'fragment', 0, 30],
      ].sort(),
    )
  })

  it('gives 24 总结 passages their h2 heading path', () => {
    const headings = corpus.passages.filter((p) => p.chapterKey === KEY_SUMMARY).map((p) => p.heading)
    expect(headings).toEqual(['快速回顾', '快速回顾', '快速回顾', '扩展阅读', '总结'])
    // 结束语 has no headings at all.
    expect(new Set(corpus.passages.filter((p) => p.chapterKey === KEY_CLOSING && p.kind !== 'comment').map((p) => p.heading))).toEqual(
      new Set(['']),
    )
  })

  it('keeps a paragraph ending with "：" together with the list after it, as one list passage', () => {
    const lists = corpus.passages.filter((p) => p.kind === 'list')
    expect(lists).toHaveLength(1)
    const list = lists[0]!
    expect(list.heading).toBe('扩展阅读')
    expect(list.text).toContain('以下推荐一些扩展阅读：\n- K8S 生态\n- K8S 网站\n')
    expect(list.text).toContain('- Fluentd 主页')
    expect(corpus.passages.filter((p) => p.text.includes('- Docker 文档'))).toHaveLength(1)
  })

  it('gathers consecutive paragraphs of a section into passages of MIN_PASSAGE_CHARS or more', () => {
    const helm = corpus.passages.filter((p) => p.text.includes('在此过程中也学习到了 Helm 的架构'))
    expect(helm).toHaveLength(1)
    expect(helm[0]!.text).toContain('当项目变大时，维护项目的更新也变成了一件很麻烦的事情。')
    const greeting = corpus.passages.filter((p) => p.text.includes('你好，我是张磊。'))
    expect(greeting).toHaveLength(1)
    expect(greeting[0]!.text).toContain('Kubernetes 为什么会赢？')
    const body = corpus.passages.filter((p) => p.kind !== 'comment')
    body.forEach((p, i) => {
      expect(p.text.length, p.text).toBeLessThanOrEqual(PASSAGE_TEXT_LIMIT)
      // Only a section's one passage may be shorter: there was nothing in its section to join.
      const sectionmates = body.filter((q) => q.chapterKey === p.chapterKey && q.heading === p.heading)
      if (p.text.length < MIN_PASSAGE_CHARS) expect(sectionmates, `${i}: ${p.text}`).toEqual([p])
    })
  })

  it.each([
    [SEEDS.shangshou, KEY_SUMMARY],
    [SEEDS.shenru, KEY_CLOSING],
  ])('loses no body paragraph of %s', async (seed, key) => {
    const paragraphs = rawBodyParagraphs(await readSeed(seed))
    expect(paragraphs.length).toBeGreaterThan(10)
    const texts = corpus.passages.filter((p) => p.chapterKey === key).map((p) => collapse(p.text))
    for (const paragraph of paragraphs) expect(texts.some((t) => t.includes(paragraph)), paragraph).toBe(true)
  })

  it('keeps site boilerplate (copyright, donation link, sidebar, scripts) out of every passage', () => {
    const boilerplate = ['Liangliang Lee', '捐赠', 'Powered by', 'hexo', '技术文章摘抄', '上一级', '首页', 'function(', '__CF$cv$params', '.md']
    const titles = corpus.toc.map((e) => e.title)
    const offending = corpus.passages.flatMap((p) =>
      [...boilerplate, ...titles].filter((needle) => p.text.includes(needle)).map((needle) => `${p.id}: ${needle}`),
    )
    expect(offending).toEqual([])
    // The seeds do hold that boilerplate, so the test above can fail.
    for (const word of ['Liangliang Lee', '捐赠', 'Powered by']) {
      expect(shenruHtml).toContain(word)
      expect(shangshouHtml).toContain(word)
    }
  })

  it('gives every passage a unique id and its source file', () => {
    expect(new Set(corpus.passages.map((p) => p.id)).size).toBe(corpus.passages.length)
    for (const p of corpus.passages.filter((p) => p.chapterKey === KEY_SUMMARY)) expect(p.source).toBe(SEEDS.shangshou)
    for (const p of corpus.passages.filter((p) => p.chapterKey === KEY_CLOSING && p.kind !== 'comment')) expect(p.source).toBe(SEEDS.shenru)
  })
})

describe('a hand-written page in the site format (fixture mini-course.html)', () => {
  let html: string
  beforeAll(async () => {
    html = await readFixture('mini-course.html')
  })

  it('reads its course, TOC and entry', () => {
    const page = parseCoursePage(html, BASE_URL)
    expect(page.course).toBe('测试专栏')
    expect(page.title).toBe('01 控制器模式：期望状态与实际状态')
    expect(page.toc.map((e) => [e.position, e.number, e.title])).toEqual([
      [1, '00', '00 开篇词 为什么要写这个测试专栏'],
      [2, '01', '01 控制器模式：期望状态与实际状态'],
      [3, null, '特别放送 一次线上故障的复盘'],
    ])
    expect(page.entry?.url).toBe(`${BASE_URL}/专栏/测试专栏/01 控制器模式：期望状态与实际状态.md`)
  })

  it('builds h2 › h3 heading paths and a "：" + list passage, and keeps a paragraph that fits whole', () => {
    const page = parseCoursePage(html, BASE_URL)
    const passages = blocksToPassages(page.blocks)
    expect(passages.map((p) => p.heading)).toEqual(['', '一、期望状态', '一、期望状态 › 声明与命令', '二、持续调谐'])
    expect(passages[0]!.text.startsWith('你好，我是测试作者。\n这一章我们从')).toBe(true)
    const list = passages.find((p) => p.kind === 'list')!
    expect(list.heading).toBe('一、期望状态 › 声明与命令')
    expect(list.text).toMatch(/调整。\n控制器的工作可以概括为以下几个步骤：\n- 读取对象里声明的期望状态\n- 观察集群里的实际状态\n- 执行动作，缩小两者的差距$/)
    const long = page.blocks.find((b) => b.type === 'paragraph' && b.text.length > 500)!
    const section = passages.filter((p) => p.heading === '二、持续调谐')
    expect(section).toHaveLength(1)
    expect(long.text.length).toBeLessThanOrEqual(PASSAGE_TEXT_LIMIT)
    expect(section[0]!.text).toBe(long.text)
  })

  it('cuts a paragraph longer than a passage at sentence ends, losing nothing, and keeps a short last line with it', () => {
    const sentence = '控制器不断比较期望状态与实际状态，并驱动实际状态向期望状态靠拢。'
    const long = sentence.repeat(40)
    const closing = '所以说，这一步最值得投入。'
    const passages = blocksToPassages([
      { type: 'paragraph', text: long },
      { type: 'paragraph', text: closing },
    ])
    expect(passages.length).toBeGreaterThanOrEqual(2)
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(PASSAGE_TEXT_LIMIT)
    for (const p of passages.slice(0, -1)) expect(p.text.endsWith('靠拢。')).toBe(true)
    expect(passages.at(-1)!.text.endsWith(`靠拢。\n${closing}`)).toBe(true)
    expect(passages.map((p) => p.text).join('')).toBe(`${long}\n${closing}`)
  })

  it('keeps code with the prose before it, never as a passage of its own, with its language', () => {
    const passages = blocksToPassages([
      { type: 'code', text: 'kubectl version' },
      { type: 'paragraph', text: '先创建一个 Deployment：' },
      { type: 'code', text: 'kubectl create deployment web --image=nginx', lang: 'shell' },
      { type: 'heading', level: 2, text: '只有代码的一节' },
      { type: 'code', text: 'apiVersion: v1\nkind: Pod', lang: 'yaml' },
    ])
    expect(passages).toEqual([
      {
        kind: 'paragraph',
        heading: '',
        text: '先创建一个 Deployment：',
        code: [
          { lang: '', text: 'kubectl version' },
          { lang: 'shell', text: 'kubectl create deployment web --image=nginx' },
          { lang: 'yaml', text: 'apiVersion: v1\nkind: Pod' },
        ],
      },
    ])
  })

  it('leaves scripts, navigation and copyright out', () => {
    const text = blocksToPassages(parseCoursePage(html, BASE_URL).blocks)
      .map((p) => p.text)
      .join('\n')
    expect(html).toContain('trackChapter')
    expect(text).not.toContain('trackChapter')
    expect(text).not.toContain('上一篇')
    expect(text).not.toContain('Liangliang Lee')
    expect(text).not.toContain('技术文章摘抄')
  })
})

describe('code blocks of course pages', () => {
  let miniCourse: string
  beforeAll(async () => {
    miniCourse = await readFixture('mini-course.html')
  })

  it('keep the language a highlighter class names, on the <pre> or its <code>', () => {
    const html = miniCourse.replace(
      /<\/h2>/,
      '</h2><pre><code class="language-yaml">kind: Pod</code></pre><pre class="hljs shell"><code>kubectl get pods</code></pre><pre><code>plain</code></pre>',
    )
    expect(html).not.toBe(miniCourse)
    const code = parseCoursePage(html, BASE_URL).blocks.filter((b) => b.type === 'code')
    expect(code).toEqual([
      { type: 'code', text: 'kind: Pod', lang: 'yaml' },
      { type: 'code', text: 'kubectl get pods', lang: 'shell' },
      { type: 'code', text: 'plain' },
    ])
  })
})

describe('format detection by content, not by file name', () => {
  it('recognises each seed', async () => {
    expect(detectFormat(shenruHtml)).toBe('course-page')
    expect(detectFormat(shangshouHtml)).toBe('course-page')
    expect(detectFormat(await readSeed(SEEDS.fragment))).toBe('fragment')
    expect(detectFormat(await readFixture('docs-page.md'))).toBe('markdown')
    expect(detectFormat(await readFixture('heading-title.md'))).toBe('markdown')
  })

  it('parses a course page named x.bin as a course page', async () => {
    const dir = await tempDir('xbin')
    await copySeeds(dir, { shenru: 'x.bin' })
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.warnings).toEqual([])
    expect(loaded.files).toEqual([{ file: 'x.bin', format: 'course-page', chapter: TITLE_CLOSING, passages: SEED_PASSAGES.closing, comments: 0 }])
    expect(loaded.toc).toHaveLength(56)
  })

  it('parses a course page named chapter.md as a course page, not as Markdown', async () => {
    const dir = await tempDir('chaptermd')
    await copySeeds(dir, { shangshou: 'chapter.md' })
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.files).toEqual([{ file: 'chapter.md', format: 'course-page', chapter: '24 总结', passages: 5, comments: 0 }])
    expect(loaded.chapters.find((c) => c.hasText)?.key).toBe(KEY_SUMMARY)
  })

  it('recognises a fragment named page.html and Markdown named docs.html', async () => {
    const dir = await tempDir('renamed')
    await copySeeds(dir, { shenru: 'a.txt', fragment: 'page.html' })
    await writeFile(path.join(dir, 'docs.html'), await readFixture('docs-page.md'))
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.warnings).toEqual([])
    const formats = Object.fromEntries(loaded.files.map((f) => [f.file, f.format]))
    expect(formats).toEqual({ 'a.txt': 'course-page', 'page.html': 'fragment', 'docs.html': 'markdown' })
    expect(loaded.passages.filter((p) => p.kind === 'comment')).toHaveLength(30)
  })
})
