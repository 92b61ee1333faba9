// Persistence: the saved index restores with the Chinese tokenizer; missing, stale and corrupt indexes are rebuilt.
import { appendFile, copyFile, cp, readFile, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { create, insertMultiple, search } from '@orama/orama'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Library, type SearchResult, type StoredLibrary } from '../../src/library/library.js'
import { TokenStore } from '../../src/library/token-store.js'
import { buildAndSave, loadLibrary } from '../../src/library/store.js'
import {
  SEEDS,
  SEED_PASSAGE_TOTAL,
  SHENRU,
  expectRebuiltFromCorrupt,
  libraryConfig,
  removeTempDirs,
  seedCorpusWith,
  tempDir,
} from './helpers.js'

const QUESTIONS = ['为什么需要 Pod', 'Kubernetes 的本质是什么', '控制器模式', 'CoreDNS 成为默认 DNS 服务器了吗', 'why does Kubernetes win', 'StatefulSet 拓扑状态']

const summaryOf = (r: SearchResult) => r.hits.map((h) => [h.id, h.kind, h.score, h.chapter.key, h.text])

afterAll(removeTempDirs)

/**
 * The stored index file: its lines (the header, then the TOC, chapters, passages and the token stores' word and
 * document lists), and the raw token arrays that sit between the header and the TOC.
 */
interface IndexParts {
  lines: string[]
  arrays: Buffer
}

async function indexParts(file: string): Promise<IndexParts> {
  const bytes = await readFile(file)
  const afterHeader = bytes.indexOf(0x0a) + 1
  const header = bytes.toString('utf8', 0, afterHeader - 1)
  const arrayBytes = (JSON.parse(header) as { arrays: number[] }).arrays.reduce((a, b) => a + b, 0)
  const rest = bytes.toString('utf8', afterHeader + arrayBytes).split('\n').filter((line) => line !== '')
  return { lines: [header, ...rest], arrays: bytes.subarray(afterHeader, afterHeader + arrayBytes) }
}

async function writeIndexParts(file: string, { lines, arrays }: IndexParts): Promise<void> {
  const [header, ...rest] = lines
  await writeFile(file, Buffer.concat([Buffer.from(`${header}\n`), arrays, Buffer.from(rest.map((line) => `${line}\n`).join(''))]))
}

/** A copy of `lines` with the line at `at` (from the end when negative) replaced. */
function replaced(lines: string[], at: number, line: string): string[] {
  const copy = [...lines]
  copy[at < 0 ? copy.length + at : at] = line
  return copy
}

describe('build, save and load', () => {
  let corpusDir: string
  let indexPath: string
  let built: Library

  beforeAll(async () => {
    corpusDir = await seedCorpusWith('persist')
    indexPath = path.join(await tempDir('persist-index'), 'nested', 'library.json')
    built = (await buildAndSave(libraryConfig(corpusDir, indexPath))).library
  })

  it('writes the index file where INDEX_PATH says, creating folders', async () => {
    const info = await stat(indexPath)
    expect(info.size).toBeGreaterThan(10_000)
    const { lines, arrays } = await indexParts(indexPath)
    const header = JSON.parse(lines[0]!) as { format: string; fingerprint: string; passages: number; arrays: number[] }
    expect(header.format).toBe('k8s-course-library')
    expect(header.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    // Lines: header, TOC, chapters, a line per passage, two token stores' vocabulary and document ids, the spelling
    // lexicon, the corpus's words and the English glosses of its words.
    expect(lines).toHaveLength(3 + header.passages + 7)
    expect(header.passages).toBe(built.passages.length)
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    // The token arrays as raw bytes, each a whole number of 32-bit values: no text to parse. Per token store: its
    // tokens, offsets and repeat counts (bytes, padded to whole 32-bit values).
    expect(header.arrays).toHaveLength(6)
    expect(arrays.length).toBe(header.arrays.reduce((a, b) => a + b, 0))
    expect(header.arrays.every((bytes) => bytes % 4 === 0)).toBe(true)
  })

  it('loads it back (status "loaded") and answers Chinese questions exactly as before saving', async () => {
    const outcome = await loadLibrary(libraryConfig(corpusDir, indexPath))
    expect(outcome.status).toBe('loaded')
    const loaded = outcome.library
    for (const q of QUESTIONS) {
      const before = built.search(q, { limit: 5 })
      const after = loaded.search(q, { limit: 5 })
      expect(after.hits.length, q).toBeGreaterThan(0)
      expect(summaryOf(after), q).toEqual(summaryOf(before))
      expect(after.total, q).toBe(before.total)
    }
    expect(loaded.search('打卡 结课', { includeComments: true }).hits[0]!.kind).toBe('comment')
    expect(loaded.stats()).toEqual(built.stats())
    expect(loaded.toc).toHaveLength(80)
    // How often each passage names each word, which ranking weighs (REPEATS), comes back as it was saved.
    expect(loaded.stored().tokens.parts().repeats).toEqual(built.stored().tokens.parts().repeats)
    expect(Math.max(...built.stored().tokens.parts().repeats)).toBeGreaterThan(1)
    // So do the English glosses of the corpus's words, which questions asked in English are answered with.
    expect(loaded.stored().englishGlosses).toEqual(built.stored().englishGlosses)
    expect(built.stored().englishGlosses.length).toBeGreaterThan(100)
  })

  it('restores from stored parts in memory too (Library.restore), with every string a fresh copy', async () => {
    const stored = built.stored()
    const copied = (store: TokenStore) => {
      const { vocabulary, documents, tokens, offsets, repeats } = store.parts()
      return TokenStore.fromParts({ vocabulary: [...vocabulary], documents: JSON.parse(JSON.stringify(documents)) as string[], tokens: tokens.slice(), offsets: offsets.slice(), repeats: repeats.slice() })
    }
    const restored = await Library.restore({
      ...(JSON.parse(JSON.stringify({ toc: stored.toc, chapters: stored.chapters, passages: stored.passages })) as Pick<StoredLibrary, 'toc' | 'chapters' | 'passages'>),
      tokens: copied(stored.tokens),
      commentTokens: copied(stored.commentTokens),
      spelling: JSON.parse(JSON.stringify(stored.spelling)) as StoredLibrary['spelling'],
      corpusWords: JSON.parse(JSON.stringify(stored.corpusWords)) as StoredLibrary['corpusWords'],
      englishGlosses: JSON.parse(JSON.stringify(stored.englishGlosses)) as StoredLibrary['englishGlosses'],
    })
    for (const q of QUESTIONS) expect(summaryOf(restored.search(q)), q).toEqual(summaryOf(built.search(q)))
  })

  it('is needed: the same passages in an Orama index with its default tokenizer find nothing for Chinese questions', async () => {
    // The control for the tests above: the restored index is Orama's, rebuilt with our tokenizer component;
    // with Orama's own tokenizer (what its persistence plugin restores with) Chinese questions find nothing.
    const db = create({ schema: { text: 'string' } as const })
    await insertMultiple(db, built.passages.map((p) => ({ text: p.text })))
    const plain = search(db, { term: '控制器模式', properties: ['text'] })
    if (plain instanceof Promise) throw new Error('unexpected async search')
    expect(plain.count).toBe(0)
    expect(built.passages.some((p) => p.text.includes('控制器模式'))).toBe(true)
    expect(built.search('控制器模式').hits.length).toBeGreaterThan(0)
  })
})

describe('rebuilding', () => {
  // One corpus and one freshly built index, copied by the tests that only tamper with the index or settings.
  let sharedCorpus: string
  let goldenIndex: string
  beforeAll(async () => {
    sharedCorpus = await seedCorpusWith('shared')
    // Whole-second modification times survive a timestamp-preserving copy exactly, so copies match the index.
    const when = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000)
    for (const file of Object.values(SEEDS)) await utimes(path.join(sharedCorpus, file), when, when)
    goldenIndex = path.join(await tempDir('golden'), 'library.json')
    await buildAndSave(libraryConfig(sharedCorpus, goldenIndex))
  })
  async function copyOfGolden(): Promise<string> {
    const indexPath = path.join(await tempDir('index-copy'), 'library.json')
    await copyFile(goldenIndex, indexPath)
    expect((await loadLibrary(libraryConfig(sharedCorpus, indexPath))).status).toBe('loaded')
    return indexPath
  }
  /** A corpus of its own, with an index that is current for it (checked: status "loaded"). */
  async function corpusWithCurrentIndex(): Promise<ReturnType<typeof libraryConfig>> {
    const corpusDir = await tempDir('corpus-copy')
    await cp(sharedCorpus, corpusDir, { recursive: true, preserveTimestamps: true })
    const config = libraryConfig(corpusDir, path.join(await tempDir('index-copy'), 'library.json'))
    await copyFile(goldenIndex, config.indexPath)
    expect((await loadLibrary(config)).status).toBe('loaded')
    return config
  }

  it('rebuilds a missing index and saves it', async () => {
    const indexPath = path.join(await tempDir('missing-index'), 'library.json')
    const config = libraryConfig(sharedCorpus, indexPath)
    const first = await loadLibrary(config)
    expect(first.status).toBe('rebuilt')
    if (first.status !== 'rebuilt') return
    expect(first.reason).toMatch(/no index/)
    expect(first.report.corpus.passages.length).toBe(SEED_PASSAGE_TOTAL + 30)
    expect(first.library.search('为什么需要 Pod').hits[0]!.chapter.number).toBe('13')
    expect((await stat(indexPath)).isFile()).toBe(true)
    expect((await loadLibrary(config)).status).toBe('loaded')
  })

  it('keeps the code that goes with a passage, with its language, through saving and loading', async () => {
    const page = ['---', 'title: 部署示例', '---', '先创建一个 Deployment：', '', '```yaml', 'kind: Deployment', '```', ''].join('\n')
    const dir = await seedCorpusWith('code-kept', { 'deploy.md': page })
    const config = libraryConfig(dir, path.join(await tempDir('code-kept-index'), 'library.json'))
    const built = await loadLibrary(config)
    const loaded = await loadLibrary(config)
    expect([built.status, loaded.status]).toEqual(['rebuilt', 'loaded'])
    const withCode = loaded.library.passages.filter((p) => p.code !== undefined)
    expect(withCode.map((p) => [p.text, p.code])).toEqual([['先创建一个 Deployment：', [{ lang: 'yaml', text: 'kind: Deployment' }]]])
    // The code's words are searched too: "kind" is only in the code.
    expect(loaded.library.search('kind', { limit: 10 }).hits.map((h) => h.text)).toContain('先创建一个 Deployment：')
  })

  it('rebuilds a stale index when a corpus file is modified, and the rebuilt index has the change', async () => {
    const config = await corpusWithCurrentIndex()
    const corpusDir = config.corpusDir
    const marker = '这是一段后来补进章节页面的新文字，讲的是独一无二的斑马调度算法，用来确认索引确实重建了。'
    const page = path.join(corpusDir, SEEDS.shenru)
    const html = await readFile(page, 'utf8')
    const edited = html.replace('<p>你好，我是张磊。</p>', `<p>你好，我是张磊。</p>\n<p>${marker}</p>`)
    expect(edited).not.toBe(html)
    await writeFile(page, edited)
    const outcome = await loadLibrary(config)
    expect(outcome.status).toBe('rebuilt')
    if (outcome.status !== 'rebuilt') return
    expect(outcome.reason).toMatch(/changed|stale/)
    expect(outcome.library.search('斑马调度算法').hits[0]!.text).toContain('斑马调度算法')
    expect((await loadLibrary(config)).status).toBe('loaded')
  })

  it('keeps the index when a file is only touched (same content, new modification time)', async () => {
    // The fingerprint is the corpus content, so a copy (a Docker layer, a fresh checkout) keeps the index.
    const config = await corpusWithCurrentIndex()
    const corpusDir = config.corpusDir
    const later = new Date(Date.now() + 60_000)
    await utimes(path.join(corpusDir, SEEDS.shangshou), later, later)
    expect((await loadLibrary(config)).status).toBe('loaded')
  })

  it('rebuilds when a file is added', async () => {
    const config = await corpusWithCurrentIndex()
    const corpusDir = config.corpusDir
    await appendFile(path.join(corpusDir, 'extra.md'), '# 额外的页面\n\n一段新加入语料的正文，讲的是独一无二的斑马网络插件，用来确认新文件会触发重建。\n')
    const outcome = await loadLibrary(config)
    expect(outcome.status).toBe('rebuilt')
    expect(outcome.library.search('斑马网络插件').hits[0]!.chapter.title).toBe('额外的页面')
  })

  it('rebuilds when COURSE_BASE_URL changes, so no URL of the old base is served', async () => {
    const indexPath = await copyOfGolden()
    const outcome = await loadLibrary(libraryConfig(sharedCorpus, indexPath, 'https://mirror.example.org'))
    expect(outcome.status).toBe('rebuilt')
    expect(outcome.library.chapter(`${SHENRU}#14`)!.url.startsWith('https://mirror.example.org/专栏/')).toBe(true)
  })

  it.each([
    ['garbage bytes', 'this is not json {{{'],
    ['truncated file', null],
    ['JSON of another shape', JSON.stringify({ hello: 'world' })],
    ['an empty file', ''],
  ])('reports a corrupt index (%s) and rebuilds it', async (_label, content) => {
    const indexPath = await copyOfGolden()
    const good = await readFile(indexPath, 'utf8')
    await writeFile(indexPath, content ?? good.slice(0, Math.floor(good.length / 2)))
    await expectRebuiltFromCorrupt(sharedCorpus, indexPath, new RegExp(indexPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  })

  it.each([
    ['its chapters are not a list', ({ lines, arrays }: IndexParts) => ({ lines: replaced(lines, 2, '{"not": "a list"}'), arrays }), /line 3 \(chapters\) is not what it should be: .*expected array/],
    ['a passage line is not JSON', ({ lines, arrays }: IndexParts) => ({ lines: replaced(lines, 5, '{"id": "x", "text": '), arrays }), /line 6 \(passage\) is not JSON/],
    ['it ends after the passages', ({ lines, arrays }: IndexParts) => ({ lines: lines.slice(0, -7), arrays }), /ends at line \d+, where its passage token store's vocabulary should be/],
    ['its spelling lexicon lacks readings', ({ lines, arrays }: IndexParts) => ({ lines: replaced(lines, -3, JSON.stringify({ ...JSON.parse(lines.at(-3)!), readings: ['zhong'] })), arrays }), /line \d+ \(spelling lexicon\) is not what it should be: readings: /],
    ['a corpus word has no frequency', ({ lines, arrays }: IndexParts) => ({ lines: replaced(lines, -2, JSON.stringify([['字段']])), arrays }), /line \d+ \(corpus words\) is not what it should be: \[0\]/],
    ['it ends before the corpus words', ({ lines, arrays }: IndexParts) => ({ lines: lines.slice(0, -2), arrays }), /ends at line \d+, where its corpus words should be/],
    ['an English word has no Chinese words', ({ lines, arrays }: IndexParts) => ({ lines: replaced(lines, -1, JSON.stringify([['snapshot', []]])), arrays }), /line \d+ \(English glosses\) is not what it should be: \[0\]/],
    ['it ends before the English glosses', ({ lines, arrays }: IndexParts) => ({ lines: lines.slice(0, -1), arrays }), /ends at line \d+, where its English glosses should be/],
    ['it has a line too many', ({ lines, arrays }: IndexParts) => ({ lines: [...lines, '[]'], arrays }), /goes on after line/],
    ['it ends inside the token arrays', ({ lines, arrays }: IndexParts) => ({ lines: lines.slice(0, 1), arrays: arrays.subarray(0, 8) }), /header gives token arrays of \d+ bytes, but only 8 follow it/],
  ])('reports as corrupt an index whose header is current but whose body is broken (%s), naming the line', async (_label, edit, reason) => {
    const indexPath = await copyOfGolden()
    const config = libraryConfig(sharedCorpus, indexPath)
    await writeIndexParts(indexPath, edit(await indexParts(indexPath)))
    const outcome = await loadLibrary(config)
    expect(outcome.status).toBe('rebuilt')
    if (outcome.status !== 'rebuilt') return
    expect(outcome.reason).toMatch(/corrupt/)
    expect(outcome.reason).toMatch(reason)
    expect((await loadLibrary(config)).status).toBe('loaded')
  })

  it('reports as corrupt an index whose stored tokens do not add up, naming what is wrong', async () => {
    const indexPath = await copyOfGolden()
    const config = libraryConfig(sharedCorpus, indexPath)
    const { lines, arrays } = await indexParts(indexPath)
    // The first token store's vocabulary is the seventh line from the end (before the comments' token store, the
    // spelling lexicon, the corpus words and the English glosses).
    const vocabulary = JSON.parse(lines.at(-7)!) as string[]
    await writeIndexParts(indexPath, { lines: replaced(lines, -7, JSON.stringify(vocabulary.slice(0, 3))), arrays })
    const outcome = await loadLibrary(config)
    expect(outcome.status).toBe('rebuilt')
    if (outcome.status !== 'rebuilt') return
    expect(outcome.reason).toMatch(/corrupt \(the passage token store \(lines \d+–\d+ and its arrays\): token store: a token id is outside the vocabulary/)
    expect(outcome.library.search('为什么需要 Pod').hits[0]!.chapter.number).toBe('13')
  })

  it('reports as corrupt an index whose repeat counts are damaged, naming what is wrong', async () => {
    const indexPath = await copyOfGolden()
    const config = libraryConfig(sharedCorpus, indexPath)
    const { lines, arrays } = await indexParts(indexPath)
    // The passage store's arrays come first: its tokens, its offsets, then its repeat counts, which are zeroed here.
    const [tokens, offsets, repeats] = (JSON.parse(lines[0]!) as { arrays: number[] }).arrays
    const damaged = Buffer.from(arrays)
    damaged.fill(0, tokens! + offsets!, tokens! + offsets! + repeats!)
    await writeIndexParts(indexPath, { lines, arrays: damaged })
    const outcome = await loadLibrary(config)
    expect(outcome.status).toBe('rebuilt')
    if (outcome.status !== 'rebuilt') return
    expect(outcome.reason).toMatch(/corrupt \(the passage token store \(lines \d+–\d+ and its arrays\): token store: token \[0\] is repeated 0 times/)
    expect((await loadLibrary(config)).status).toBe('loaded')
  })

  it('rebuilds an index made by another tokenizer version', async () => {
    const indexPath = await copyOfGolden()
    const config = libraryConfig(sharedCorpus, indexPath)
    const { lines, arrays } = await indexParts(indexPath)
    await writeIndexParts(indexPath, { lines: replaced(lines, 0, JSON.stringify({ ...JSON.parse(lines[0]!), tokenizerVersion: -1 })), arrays })
    const outcome = await loadLibrary(config)
    expect(outcome.status).toBe('rebuilt')
    if (outcome.status === 'rebuilt') expect(outcome.reason).toMatch(/version/)
  })
})
