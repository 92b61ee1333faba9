// The title-less fragment page: its text deduplicated against the chapter, its reader comments kept apart.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFragmentPage } from '../../src/corpus/fragment-page.js'
import { loadCorpus, type Corpus } from '../../src/corpus/load-corpus.js'
import { Library } from '../../src/library/library.js'
import { matchKey } from '../../src/text/normalize.js'
import {
  KEY_CLOSING,
  SEEDS,
  SEED_PASSAGES,
  SEED_PASSAGE_TOTAL,
  TITLE_CLOSING,
  copySeeds,
  corpusOptions,
  loadSeedCorpus,
  readSeed,
  removeTempDirs,
  seedCorpusWith,
  tempDir,
} from './helpers.js'

let fragmentText: string
let corpus: Corpus
let library: Library

beforeAll(async () => {
  fragmentText = await readSeed(SEEDS.fragment)
  corpus = await loadSeedCorpus()
  library = await Library.build(corpus)
})
afterAll(removeTempDirs)

describe('parseFragmentPage', () => {
  it('splits the text before "精选留言" into paragraphs and reads the 30 comments with their authors', () => {
    const page = parseFragmentPage(fragmentText)
    expect(page.blocks.map((b) => b.type)).toEqual(Array(5).fill('paragraph'))
    expect(page.blocks[0]).toEqual({ type: 'paragraph', text: '你好，我是张磊。' })
    expect(page.blocks.at(-1)!.type === 'paragraph' && page.blocks.at(-1)!.text.endsWith('设计过程当中。')).toBe(true)
    for (const block of page.blocks) expect('text' in block && block.text).not.toMatch(/<|精选留言/)
    expect(page.comments).toHaveLength(30)
    expect(page.comments[0]).toEqual({ author: '细雨', text: '老师： 请问 k8s 本地的开发环境，你是怎么搭建的？' })
    expect(page.comments.at(-1)).toEqual({ author: 'grey927', text: '如果要入门学习K8s，老师有什么比较好的学习资源/书推荐么？' })
    for (const c of page.comments) {
      expect(c.author.length).toBeGreaterThan(0)
      expect(c.text).not.toMatch(/<img|👍（|💬（|\d{4}-\d{2}-\d{2}/)
    }
  })
})

describe('the fragment in the corpus', () => {
  it('is attributed to 结束语 and adds no passage of its own: every paragraph is already in the chapter', () => {
    const report = corpus.files.find((f) => f.file === SEEDS.fragment)
    expect(report).toEqual({ file: SEEDS.fragment, format: 'fragment', chapter: TITLE_CLOSING, passages: 0, comments: 30 })
    expect(corpus.passages.filter((p) => p.source === SEEDS.fragment && p.kind !== 'comment')).toEqual([])
    // Each of its paragraphs does exist once, in a passage that came from the chapter page.
    const chapterText = corpus.passages.filter((p) => p.chapterKey === KEY_CLOSING && p.kind !== 'comment')
    for (const block of parseFragmentPage(fragmentText).blocks) {
      if (block.type === 'heading') continue
      const holders = chapterText.filter((p) => matchKey(p.text).includes(matchKey(block.text)))
      expect(holders.map((p) => p.source), block.text).toEqual([SEEDS.shenru])
    }
  })

  it('adds a paragraph that only the fragment has, attributed to 结束语 and stored once', async () => {
    const extra = '片段里多出来的这一段文字，在章节页面上并不存在，它应该被归入结束语这一章，并且只存一次。'
    const withExtra = fragmentText.replace('\n<div><strong>精选留言', `\n\n${extra}\n<div><strong>精选留言`)
    expect(withExtra).not.toBe(fragmentText)
    const dir = await seedCorpusWith('fragment-extra')
    await copySeeds(dir, { fragment: 'second-fragment.txt' }) // the same fragment twice, under another name
    await writeFile(path.join(dir, SEEDS.fragment), withExtra)
    const loaded = await loadCorpus(corpusOptions(dir))
    const added = loaded.passages.filter((p) => p.text.includes(extra))
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ chapterKey: KEY_CLOSING, kind: 'paragraph', source: SEEDS.fragment })
    expect(loaded.passages.filter((p) => p.kind !== 'comment')).toHaveLength(SEED_PASSAGE_TOTAL + 1)
    // The comments are stored once, however many files repeat them.
    expect(loaded.passages.filter((p) => p.kind === 'comment')).toHaveLength(30)
    const fragments = loaded.files.filter((f) => f.format === 'fragment')
    expect(fragments.map((f) => f.file).sort()).toEqual(['second-fragment.txt', SEEDS.fragment])
    expect(fragments.reduce((sum, f) => sum + f.passages, 0)).toBe(1)
    expect(fragments.reduce((sum, f) => sum + f.comments, 0)).toBe(30)
  })

  it('stores a re-spaced, full-width copy of a chapter paragraph once (dedupe by normalised text)', async () => {
    const respaced = fragmentText.replace('Kubernetes 为什么会赢？', 'Ｋｕｂｅｒｎｅｔｅｓ　为什么会赢 ?')
    expect(respaced).not.toBe(fragmentText)
    const dir = await seedCorpusWith('fragment-respaced', { [SEEDS.fragment]: respaced })
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.passages.filter((p) => p.kind !== 'comment')).toHaveLength(SEED_PASSAGE_TOTAL)
    expect(loaded.passages.filter((p) => p.text.includes('为什么会赢'))).toHaveLength(1)
  })

  it('warns, naming the file, when the chapter it repeats is not in the corpus', async () => {
    const dir = await tempDir('fragment-alone')
    await copySeeds(dir, { fragment: 'lonely.txt', shangshou: SEEDS.shangshou })
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.warnings).toHaveLength(1)
    expect(loaded.warnings[0]!.file).toBe('lonely.txt')
    expect(loaded.warnings[0]!.reason).toMatch(/matches no chapter/)
    expect(loaded.passages.filter((p) => p.kind !== 'comment')).toHaveLength(5)
  })
})

describe('reader comments are kept apart', () => {
  it('stores them as kind "comment" under 结束语, with the author as heading, and counts them apart', () => {
    const comments = corpus.passages.filter((p) => p.kind === 'comment')
    expect(comments).toHaveLength(30)
    for (const c of comments) {
      expect(c.chapterKey).toBe(KEY_CLOSING)
      expect(c.source).toBe(SEEDS.fragment)
    }
    expect(comments[0]!.heading).toBe('细雨')
    expect(library.stats()).toMatchObject({ passages: SEED_PASSAGE_TOTAL, comments: 30 })
    expect(library.chapterPassages(KEY_CLOSING).some((p) => p.kind === 'comment')).toBe(false)
    expect(library.chapterPassages(KEY_CLOSING)).toHaveLength(SEED_PASSAGES.closing)
  })

  it('never returns a comment by default, even when the question is a comment word for word', () => {
    const comments = corpus.passages.filter((p) => p.kind === 'comment')
    let commentsFoundWhenAsked = 0
    for (const c of comments) {
      const plain = library.search(c.text, { limit: 10 })
      expect(plain.hits.filter((h) => h.kind === 'comment'), c.text).toEqual([])
      const asked = library.search(c.text, { limit: 10, includeComments: true })
      if (asked.hits.some((h) => h.id === c.id)) commentsFoundWhenAsked++
    }
    // With includeComments the comment itself comes back, for every one of them.
    expect(commentsFoundWhenAsked).toBe(comments.length)
  })

  it('returns comments with includeComments: a question only readers talk about', () => {
    const plain = library.search('打卡 结课', { limit: 5 })
    expect(plain.hits.every((h) => h.kind !== 'comment')).toBe(true)
    const asked = library.search('打卡 结课', { limit: 5, includeComments: true })
    expect(asked.hits[0]!.kind).toBe('comment')
    expect(asked.hits[0]!.text).toContain('打卡')
    expect(asked.hits[0]!.chapter.key).toBe(KEY_CLOSING)
  })

  it('a reader question about a local dev environment finds the comment only when asked for', () => {
    const q = '怎么搭建 k8s 本地开发环境'
    expect(library.search(q, { limit: 10 }).hits.some((h) => h.kind === 'comment')).toBe(false)
    const asked = library.search(q, { limit: 3, includeComments: true })
    expect(asked.hits.some((h) => h.kind === 'comment' && h.text.includes('本地的开发环境'))).toBe(true)
  })
})
