// Words a corpus uses whole that jieba's dictionary undervalues: found from the corpus's own text, cut whole in its
// index and in questions about it, and kept with the index.
import path from 'node:path'
import { Jieba } from '@node-rs/jieba'
import { afterAll, describe, expect, it } from 'vitest'
import { undervaluedWords } from '../../src/library/corpus-words.js'
import { jiebaFile } from '../../src/library/jieba-data.js'
import { JiebaDictionary } from '../../src/library/jieba-dictionary.js'
import { loadLibrary } from '../../src/library/store.js'
import { plainTokenizer, Tokenizer } from '../../src/library/tokenizer.js'
import { libraryConfig, removeTempDirs, seedCorpusWith, tempDir } from './helpers.js'

afterAll(removeTempDirs)

const whole = Jieba.withDict(jiebaFile('dict.txt'))
const dictionary = JiebaDictionary.load()

/** `count` sentences that use 后端, which jieba always cuts 后 / 端, each a little different. */
const backendTexts = (count: number) => Array.from({ length: count }, (_, i) => `第${i + 1}个后端服务挂掉以后，负载均衡会把请求转给其他实例。`)

describe('undervaluedWords', () => {
  it('picks a dictionary word that jieba cuts apart inside itself, with a frequency that then makes jieba cut it whole', () => {
    expect(whole.cut('我们的后端服务', true)).toEqual(['我们', '的', '后', '端', '服务'])
    const words = undervaluedWords(backendTexts(10), whole, dictionary)
    expect(words.map(([word]) => word)).toEqual(['后端'])
    const [[, frequency]] = words as [[string, number]]
    expect(frequency).toBeGreaterThan(dictionary.frequencyOf('后端'))
    const boosted = Jieba.withDict(jiebaFile('dict.txt'))
    boosted.loadDict(Buffer.from(`后端 ${frequency}\n`))
    expect(boosted.cut('我们的后端服务', true)).toEqual(['我们', '的', '后端', '服务'])
  })

  it('leaves words used apart fewer than 10 times, words jieba cuts whole, and pieces of longer words', () => {
    expect(undervaluedWords(backendTexts(9), whole, dictionary)).toEqual([])
    // 容器 is cut whole; 以使 in 可以使用 is cut across its edges (可以 / 使用), not inside it.
    expect(undervaluedWords(Array.from({ length: 20 }, (_, i) => `可以使用第${i}个容器`), whole, dictionary)).toEqual([])
  })

  it('leaves a word when fewer than half its uses are cut apart inside it', () => {
    // In 前后端分离 jieba cuts 后端 across its edges, not inside it: a use, but not one cut apart.
    expect(whole.cut('前后端分离', true)).not.toContain('后')
    const otherUses = Array.from({ length: 11 }, (_, i) => `前后端分离第${i}次`)
    expect(undervaluedWords([...backendTexts(10), ...otherUses], whole, dictionary)).toEqual([])
    expect(undervaluedWords([...backendTexts(10), ...otherUses.slice(0, 10)], whole, dictionary).map(([word]) => word)).toEqual(['后端'])
  })
})

describe('a tokenizer for a corpus', () => {
  const passages = backendTexts(12).map((text) => ({ kind: 'paragraph' as const, text }))

  it('cuts the corpus words whole in the index and in questions, where the plain tokenizer cuts them apart', () => {
    const tokenizer = Tokenizer.forCorpus(passages)
    expect(tokenizer.corpusWords.map(([word]) => word)).toEqual(['后端'])
    expect(tokenizer.tokenizeForIndex('后端服务挂掉以后')).toContain('后端')
    expect(tokenizer.tokenizeQuery('我们的后端服务挂了怎么办')).toContain('后端')
    expect(tokenizer.cutWords('我们的后端服务')).toEqual(['我们', '的', '后端', '服务'])
    expect(plainTokenizer.tokenizeQuery('我们的后端服务挂了怎么办')).not.toContain('后端')
    // A tokenizer made again from its words (as a restored index makes it) answers as the indexing one cut.
    const restored = new Tokenizer(tokenizer.corpusWords)
    for (const text of ['后端服务挂掉以后', '我们的后端服务', '第3个后端服务挂掉以后，负载均衡会把请求转给其他实例。']) {
      expect(restored.tokenize(text), text).toEqual(tokenizer.tokenizeForIndex(text))
    }
  })

  it('does not learn words from reader comments, which are not the corpus text', () => {
    expect(Tokenizer.forCorpus(passages.map((p) => ({ ...p, kind: 'comment' as const }))).corpusWords).toEqual([])
  })
})

describe('a library with words of its own', () => {
  it('keeps them in its index: the loaded library cuts questions as the built one did', async () => {
    const page = `# 后端\n\n${backendTexts(12).join('\n\n')}\n`
    const dir = await seedCorpusWith('corpus-words', { 'backend.md': page })
    const config = libraryConfig(dir, path.join(await tempDir('corpus-words-index'), 'library.idx'))
    const built = await loadLibrary(config)
    expect(built.status).toBe('rebuilt')
    const loaded = await loadLibrary(config)
    expect(loaded.status).toBe('loaded')
    expect(loaded.library.tokenizer.corpusWords).toEqual(built.library.tokenizer.corpusWords)
    expect(loaded.library.tokenizer.corpusWords.map(([word]) => word)).toContain('后端')
    const question = '我们的后端服务挂掉以后请求去哪了'
    expect(plainTokenizer.tokenizeQuery(question)).not.toContain('后端')
    expect(loaded.library.search(question).terms).toContain('后端')
    expect(loaded.library.search(question)).toEqual(built.library.search(question))
  })
})
