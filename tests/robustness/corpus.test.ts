// Hostile corpora: symlinks out of the corpus, devices, FIFOs, oversized and deeply nested pages, sidebar links
// off-site or climbing out of the course. Each is skipped with a warning naming it; the rest is indexed.
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCoursePage } from '../../src/corpus/course-page.js'
import { DEFAULT_COURSE_ORDER, parseCourseOrder } from '../../src/corpus/course-order.js'
import { detectFormat } from '../../src/corpus/detect.js'
import { loadCorpus } from '../../src/corpus/load-corpus.js'
import { parseMarkdownPage } from '../../src/corpus/markdown-page.js'
import { KnownError } from '../../src/errors.js'
import { Library } from '../../src/library/library.js'
import { buildAndSave } from '../../src/library/store.js'
import { BASE_URL, SEEDS, SHANGSHOU, SHENRU, corpusOptions, libraryConfig, readSeed, removeTempDirs, seedCorpusWith, tempDir } from '../library/helpers.js'

const BOUND_MS = 15_000

afterAll(removeTempDirs)

function reasonsFor(warnings: { file: string; reason: string }[], file: string): string {
  return warnings.filter((w) => w.file === file).map((w) => w.reason).join(' | ')
}

describe('symlinks, devices and FIFOs in the corpus', () => {
  it('follows a symlink only to a regular file inside CORPUS_DIR; skips the rest with a warning, without reading them', async () => {
    const dir = await seedCorpusWith('robust-links')
    const outside = await tempDir('robust-outside')
    await writeFile(path.join(outside, 'secret.md'), '# 外面的文件\n\n不应该被索引的一段文字，它在语料目录之外。\n')
    execFileSync('mkfifo', [path.join(outside, 'pipe')])
    execFileSync('mkfifo', [path.join(dir, 'fifo.html')])
    await mkdir(path.join(dir, 'notes'))
    await writeFile(path.join(dir, 'notes', 'inside.md'), '# 语料里的笔记\n\n这一段通过符号链接也能读到，但只算一次。\n')
    await symlink('/etc', path.join(dir, 'x.html'))
    await symlink('/dev/zero', path.join(dir, 'zero.html'))
    await symlink(path.join(outside, 'pipe'), path.join(dir, 'pipe.html'))
    await symlink(path.join(outside, 'secret.md'), path.join(dir, 'secret.md'))
    await symlink(path.join(dir, 'nowhere.md'), path.join(dir, 'dangling.md'))
    await symlink('notes/inside.md', path.join(dir, 'link-to-inside.md'))

    // The fingerprint reads every file too: the whole build must end.
    const { corpus } = await buildAndSave(libraryConfig(dir, path.join(await tempDir('robust-links-index'), 'library.jsonl')))
    expect(reasonsFor(corpus.warnings, 'x.html')).toMatch(/symlink to \/etc, outside CORPUS_DIR/)
    expect(reasonsFor(corpus.warnings, 'zero.html')).toMatch(/symlink to \/dev\/zero, outside CORPUS_DIR/)
    expect(reasonsFor(corpus.warnings, 'pipe.html')).toMatch(/outside CORPUS_DIR/)
    expect(reasonsFor(corpus.warnings, 'secret.md')).toMatch(/outside CORPUS_DIR/)
    expect(reasonsFor(corpus.warnings, 'fifo.html')).toMatch(/a FIFO, not a page/)
    expect(reasonsFor(corpus.warnings, 'dangling.md')).toMatch(/leads nowhere/)
    expect(corpus.passages.some((p) => p.text.includes('外面'))).toBe(false)
    expect(corpus.files.map((f) => f.file)).toEqual(expect.arrayContaining(['link-to-inside.md', 'notes/inside.md', SEEDS.shenru]))
    expect(corpus.passages.filter((p) => p.text.includes('通过符号链接'))).toHaveLength(1)
  }, BOUND_MS)

  it('a symlink to a folder inside the corpus is not walked (no loops), and says so', async () => {
    const dir = await seedCorpusWith('robust-loop')
    await symlink('.', path.join(dir, 'loop'))
    const corpus = await loadCorpus(corpusOptions(dir))
    expect(reasonsFor(corpus.warnings, 'loop')).toMatch(/a symlink to a folder, not a page/)
  }, BOUND_MS)

  it('a missing CORPUS_DIR is one known error naming it', async () => {
    const missing = path.join(await tempDir('robust-missing'), 'no-such-corpus')
    const error = await loadCorpus(corpusOptions(missing)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KnownError)
    expect((error as Error).message).toBe(`CORPUS_DIR: ${missing} does not exist; point CORPUS_DIR at the folder holding the course pages`)
  })
})

describe('page size and shape', () => {
  it('skips a page over the size limit with a warning naming the file and the limit', async () => {
    const big = `# 很大的页面\n\n${'一段重复的文字。'.repeat(50_000)}\n`
    const dir = await seedCorpusWith('robust-big', { 'big.md': big })
    const corpus = await loadCorpus({ ...corpusOptions(dir), maxPageBytes: 1024 * 1024 })
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024)
    expect(reasonsFor(corpus.warnings, 'big.md')).toBe('skipped: 1.1 MB is over the 1 MB page limit (CORPUS_MAX_PAGE_MB)')
    expect(corpus.chapters.some((c) => c.title === '很大的页面')).toBe(false)
    expect(corpus.passages.length).toBeGreaterThan(20)
  })

  it('reads a page of 100k nested elements without recursing (it once overflowed the stack)', async () => {
    const seed = await readSeed(SEEDS.shenru)
    const depth = 100_000
    const deep = `${'<div>'.repeat(depth)}<p>藏在十万层嵌套里的一段话，讲的是 Pod 里的容器如何共享网络。</p>${'</div>'.repeat(depth)}`
    const html = seed.replace('<div class="book-post">', `<div class="book-post">${deep}`)
    expect(html).not.toBe(seed)
    const page = parseCoursePage(html, BASE_URL)
    expect(page.blocks[0]).toEqual({ type: 'paragraph', text: '藏在十万层嵌套里的一段话，讲的是 Pod 里的容器如何共享网络。' })
    expect(page.blocks.length).toBeGreaterThan(10)
  }, BOUND_MS)
})

describe('pages made to be slow', () => {
  // Each was quadratic (a regex searching to the end of the page from every opening, or the text joined so far
  // re-read for every line: 45 s for 200k lines). Not a timing test: the bound only turns a hang into a failure.
  it.each([
    ['unclosed comments', '<!--x '],
    ['unclosed shortcodes', '{{< x '],
    ['unclosed links', '[a '],
    ['unclosed tags', '<a '],
    ['unclosed bold', '**a '],
    ['200k wrapped lines of one paragraph', '中文\n'],
  ])('Markdown of %s ends', (_label, unit) => {
    const page = parseMarkdownPage(`# 标题\n\n${unit.repeat(200_000)}\n`)
    expect(page.title).toBe('标题')
    expect(page.blocks.length).toBeGreaterThan(0)
  }, BOUND_MS)

  it('HTML of 200k unclosed "<h1" is recognised (or not) without a quadratic search', () => {
    expect(detectFormat('<h1 '.repeat(200_000))).toBe('unknown')
  }, BOUND_MS)
})

describe('hostile sidebar links', () => {
  it('off-site and traversal entries belong to no course: left out of the TOC, with a warning naming the page', async () => {
    const seed = await readSeed(SEEDS.shangshou)
    const hostile = [
      'http://elsewhere.example/专栏/evil/x.md',
      '/专栏/..%2F..%2Fx.md',
      '/%E4%B8%93%E6%A0%8F/a%2F..%2F..%2Fb/x.md',
      '../../x.md',
      'javascript:alert(1)//专栏/js/x.md',
    ]
    const links = hostile.map((href) => `<li><a class="menu-item" href="${href}">x.md</a></li>`).join('\n')
    const page = seed.replace(/(<a class="menu-item"[^]*?<\/li>)(\s*<\/ul>)/, `$1\n${links}$2`)
    expect(page).not.toBe(seed)
    const dir = await seedCorpusWith('robust-hrefs', { [SEEDS.shangshou]: page })
    const corpus = await loadCorpus(corpusOptions(dir))
    expect([...new Set(corpus.toc.map((e) => e.course))]).toEqual([SHENRU, SHANGSHOU])
    expect(corpus.toc).toHaveLength(80)
    const reasons = reasonsFor(corpus.warnings, SEEDS.shangshou)
    expect(reasons).toMatch(/sidebar link left out of the TOC: href "http:\/\/elsewhere.example\/专栏\/evil\/x.md" is off-site/)
    expect(reasons).toMatch(/href "\/专栏\/..%2F..%2Fx.md" decodes to a path with ".." or "." segments/)
    expect(reasons).toMatch(/href "javascript:alert\(1\)\/\/专栏\/js\/x.md" is not an http\(s\) link/)
    const library = await Library.build(corpus)
    expect(library.courses()).toEqual([SHENRU, SHANGSHOU])
  })
})

describe('course order', () => {
  it('is the stated order, not file names, and COURSE_ORDER changes it everywhere courses are listed', async () => {
    expect(parseCourseOrder(undefined)).toEqual([...DEFAULT_COURSE_ORDER])
    expect(parseCourseOrder(` ${SHANGSHOU} ,, ${SHENRU}, ${SHANGSHOU}`)).toEqual([SHANGSHOU, SHENRU])
    const dir = await seedCorpusWith('robust-order')
    // File names sort 《从上手到实践》 (shangshou-…) first; the stated order puts 《深入剖析》 first.
    const stated = await Library.build(await loadCorpus(corpusOptions(dir)))
    expect(stated.courses()).toEqual([SHENRU, SHANGSHOU])
    expect(stated.tocChapters()[0]!.course).toBe(SHENRU)
    const reversed = await Library.build(await loadCorpus({ ...corpusOptions(dir), courseOrder: [SHANGSHOU, SHENRU] }))
    expect(reversed.courses()).toEqual([SHANGSHOU, SHENRU])
    expect(reversed.tocChapters()[0]!.course).toBe(SHANGSHOU)
    expect(reversed.findChapters('13').map((c) => c.course)).toEqual([SHANGSHOU, SHENRU])
  })

  it('the `course` option offers the courses in the stated order', async () => {
    const { courseOption } = await import('../../src/commands/options.js')
    expect((courseOption as { choices?: { value: string }[] }).choices?.map((c) => c.value)).toEqual([...DEFAULT_COURSE_ORDER])
  })
})

it('reads the seeds unchanged', async () => {
  expect((await readFile(path.join(await seedCorpusWith('robust-seeds'), SEEDS.shenru))).length).toBeGreaterThan(1000)
})
