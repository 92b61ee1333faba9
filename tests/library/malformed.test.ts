// Bad input: each bad file is a warning that names it and says why; the rest of the corpus is still indexed.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCorpus, type Corpus } from '../../src/corpus/load-corpus.js'
import { Library } from '../../src/library/library.js'
import {
  KEY_CLOSING,
  KEY_SUMMARY,
  SEEDS,
  SEED_DIR,
  SEED_PASSAGES,
  SEED_PASSAGE_TOTAL,
  SHENRU,
  corpusOptions,
  removeTempDirs,
  seedCorpusWith,
} from './helpers.js'

/** The 结束语 page with its body emptied and its title changed to chapter 13's, which has no text of its own. */
async function emptyBodyPage(): Promise<string> {
  const html = await readFile(path.join(SEED_DIR, SEEDS.shenru), 'utf8')
  const emptied = html
    .replace(/(<h1[^>]*id="title"[^>]*>)[^<]*(<\/h1>\s*<div>)[\s\S]*?(<\/div>\s*<\/div>)/, '$113 为什么我们需要Pod？$2$3')
  if (emptied === html || emptied.includes('你好，我是张磊')) throw new Error('fixture edit did not apply')
  return emptied
}

const BAD_FILES: Record<string, string | Uint8Array> = {
  'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
  'latin1.html': new Uint8Array([...Buffer.from('<p>caf'), 0xe9, ...Buffer.from(' cr'), 0xe8, ...Buffer.from('me</p>')]),
  'empty.html': '',
  'blank.txt': ' \n\n\t\n',
  'other-site.html': '<!DOCTYPE html><html><body><div class="post"><h1>别的网站</h1><p>这是一个与课程无关的网页，既没有 h1#title，也没有侧边栏。</p></div></body></html>',
  'untitled.md': '## 只有二级标题\n\n这个 Markdown 页面既没有 front matter 的 title，也没有一级标题。\n',
  'notes.md': '一段没有任何标题的纯文本笔记，没有 front matter，也没有 Markdown 标题。\n',
}

let corpus: Corpus
let emptyBody: string

beforeAll(async () => {
  emptyBody = await emptyBodyPage()
  const dir = await seedCorpusWith('malformed', { ...BAD_FILES, 'empty-body.html': emptyBody })
  corpus = await loadCorpus(corpusOptions(dir))
})
afterAll(removeTempDirs)

function reasonsFor(file: string): string[] {
  return corpus.warnings.filter((w) => w.file === file).map((w) => w.reason)
}

describe('malformed corpus files', () => {
  it.each([
    ['image.png', /binary|NUL/i],
    ['latin1.html', /UTF-8/],
    ['empty.html', /empty/i],
    ['blank.txt', /empty/i],
    ['other-site.html', /unrecognised/i],
    ['untitled.md', /title/i],
    ['notes.md', /unrecognised|title/i],
  ])('%s gives a warning naming it, with its reason', (file, reason) => {
    const reasons = reasonsFor(file)
    expect(reasons.length, `warnings: ${JSON.stringify(corpus.warnings)}`).toBeGreaterThanOrEqual(1)
    expect(reasons.join(' | ')).toMatch(reason)
  })

  it('a course page whose body is empty is reported, not silently dropped', () => {
    expect(reasonsFor('empty-body.html').join(' | ')).toMatch(/no body text|no new passages/)
    expect(corpus.passages.filter((p) => p.source === 'empty-body.html')).toEqual([])
  })

  it('skips only the bad files: the seeds are still indexed in full', async () => {
    const warned = new Set(corpus.warnings.map((w) => w.file))
    expect([...warned].sort()).toEqual([...Object.keys(BAD_FILES), 'empty-body.html'].sort())
    for (const seed of Object.values(SEEDS)) expect(warned.has(seed)).toBe(false)
    expect(corpus.toc).toHaveLength(80)
    expect(corpus.passages.filter((p) => p.chapterKey === KEY_SUMMARY)).toHaveLength(SEED_PASSAGES.summary)
    expect(corpus.passages.filter((p) => p.chapterKey === KEY_CLOSING && p.kind !== 'comment')).toHaveLength(SEED_PASSAGES.closing)
    expect(corpus.passages.filter((p) => p.kind === 'comment')).toHaveLength(30)
    const library = await Library.build(corpus)
    expect(library.search('Kubernetes 的本质是什么').hits.some((hit) => hit.text.includes('控制器模式'))).toBe(true)
  })

  it('a chapter whose page had no text is still found by its title', async () => {
    // Chapter 13 has no passages: its empty page must not hide it from the title search.
    const library = await Library.build(corpus)
    expect(library.chapterPassages(`${SHENRU}#14`)).toEqual([])
    const top = library.search('为什么需要 Pod').hits[0]!
    expect(top.chapter.key).toBe(`${SHENRU}#14`)
  })

  it('a copy of a seed under another name adds nothing and says so', async () => {
    const dir = await seedCorpusWith('duplicate', { 'copy-of-summary.html': await readFile(path.join(SEED_DIR, SEEDS.shangshou)) })
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.passages.filter((p) => p.kind !== 'comment')).toHaveLength(SEED_PASSAGE_TOTAL)
    // Whichever of the two is read first holds the passages; the other adds none, and a warning names it.
    const twins = loaded.files.filter((f) => f.file === 'copy-of-summary.html' || f.file === SEEDS.shangshou)
    expect(twins.map((f) => f.passages).sort()).toEqual([0, 5])
    const empty = twins.find((f) => f.passages === 0)!
    expect(loaded.warnings).toEqual([{ file: empty.file, reason: expect.stringMatching(/no new passages/) }])
  })

  it('ignores the corpus README instead of warning about it', async () => {
    const dir = await seedCorpusWith('readme', { 'README.md': '# 语料\n\n这里是三个种子页面。\n' })
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.ignored).toEqual(['README.md'])
    expect(loaded.warnings).toEqual([])
    expect(loaded.chapters.some((c) => c.title === '语料')).toBe(false)
  })
})
