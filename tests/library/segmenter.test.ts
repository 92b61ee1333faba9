// Answering cuts text with jieba holding only the dictionary words its texts contain: it must cut every text
// exactly as jieba with the whole dictionary does, which indexing uses.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { Jieba } from '@node-rs/jieba'
import { describe, expect, it } from 'vitest'
import { jiebaFile } from '../../src/library/jieba-data.js'
import { JiebaDictionary } from '../../src/library/jieba-dictionary.js'
import { OnDemandSegmenter } from '../../src/library/segmenter.js'
import { normalize } from '../../src/text/normalize.js'
import { DOCS_DIR, HAVE_DOCS, REPO_ROOT, SEED_DIR } from './helpers.js'

const dictionaryFile = jiebaFile('dict.txt')
const wholeDictionary = Jieba.withDict(dictionaryFile)
const dictionary = JiebaDictionary.load(dictionaryFile)
const frequencyOf = new Map(
  dictionaryFile
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => [line.split(' ')[0]!, line] as const),
)

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? filesUnder(file, ending) : file.endsWith(ending) ? [file] : []
  })
}

function linesOf(files: string[]): string[] {
  return [...new Set(files.flatMap((f) => normalize(readFileSync(f, 'utf8')).split('\n')))].filter((l) => l.trim() !== '')
}

/** Every question of every eval set: the texts answering cuts most. */
const questions = filesUnder(path.join(REPO_ROOT, 'tests', 'eval'), '.jsonl').flatMap((f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => normalize((JSON.parse(line) as { q: string }).q)),
)

/**
 * Words given frequencies of their own (corpus-words.ts): raised, far raised, lowered, and one so high that it moves
 * the total frequency every cut is weighed against.
 */
const CORPUS_WORDS = [
  ['后端', 47],
  ['字段', 32],
  ['挂起', 26],
  ['不在', 17457],
  ['容器', 3],
  ['服务', 30_000_000],
] as const
const wholeWithCorpusWords = Jieba.withDict(dictionaryFile)
wholeWithCorpusWords.loadDict(Buffer.from(CORPUS_WORDS.map(([word, frequency]) => `${word} ${frequency}`).join('\n')))

function expectSameCuts(texts: string[], corpusWords: readonly (readonly [string, number])[] = []): void {
  const onDemand = new OnDemandSegmenter(dictionary, corpusWords)
  const whole = corpusWords.length > 0 ? wholeWithCorpusWords : wholeDictionary
  let differing = 0
  for (const text of texts) {
    for (const hmm of [true, false]) {
      if (onDemand.cut(text, hmm).join('|') !== whole.cut(text, hmm).join('|')) differing++
      if (onDemand.cutForSearch(text, hmm).join('|') !== whole.cutForSearch(text, hmm).join('|')) differing++
    }
  }
  expect(differing).toBe(0)
}

describe('JiebaDictionary', () => {
  it('finds every dictionary word a text contains, and nothing else', () => {
    const texts = ['容器编排与 Kubernetes 作业管理', '4s店和aa制', 'kube-apiserver 的 pod 数', '𠀀字 ，。 a b', '', '人要是行干一行行一行，一行行行行行']
    for (const text of texts) {
      const expected = new Set<string>()
      for (let from = 0; from < text.length; from++) {
        for (let to = from + 1; to <= text.length; to++) {
          const line = frequencyOf.get(text.slice(from, to))
          if (line) expected.add(line)
        }
      }
      expect(new Set(dictionary.wordsIn(text).map((word) => dictionary.line(word))), text).toEqual(expected)
      for (const word of dictionary.wordsIn(text)) expect(dictionary.frequency(word)).toBe(Number(dictionary.line(word).split(' ')[1]))
    }
  })

  it('sums every word’s frequency, as jieba’s total does', () => {
    let total = 0
    for (const line of frequencyOf.values()) total += Number(line.split(' ')[1])
    expect(dictionary.totalFrequency).toBe(total)
  })
})

describe('OnDemandSegmenter', () => {
  it('cuts every eval question as jieba with the whole dictionary does', () => {
    expect(questions.length).toBeGreaterThan(1000)
    expectSameCuts(questions)
  })

  it('cuts the bundled course pages as jieba with the whole dictionary does', () => {
    expectSameCuts(linesOf(filesUnder(SEED_DIR, '')))
  })

  it('cuts every eval question and the course pages as jieba does with a corpus’s own word frequencies loaded', () => {
    const texts = [...questions, ...linesOf(filesUnder(SEED_DIR, ''))]
    // The words make a difference to the cuts compared, or the comparison would prove nothing.
    expect(texts.filter((t) => wholeWithCorpusWords.cut(t, true).join('|') !== wholeDictionary.cut(t, true).join('|')).length).toBeGreaterThan(20)
    expectSameCuts(texts, CORPUS_WORDS)
  })

  it('cuts a text alike whatever it has cut before (words learnt in any order)', () => {
    const onDemand = new OnDemandSegmenter(dictionary)
    const text = '为什么社区里的公司和个人想要有话语权，都会去争 api 层面的东西'
    const first = onDemand.cut(text, true)
    for (const other of ['话语', '有话', '语权', '层面的', '社区里']) onDemand.cut(other, true)
    expect(onDemand.cut(text, true)).toEqual(first)
    expect(first).toEqual(wholeDictionary.cut(text, true))
    expect(first).toContain('话语权')
  })

  it('cuts random text as jieba with the whole dictionary does: lone surrogates, NULs, characters beyond the BMP', () => {
    // Characters that make dictionary words together (中国人, 容器, 集群节点…), others, and the awkward ones.
    const units = [...'中国人容器集群节点的是一个调度', ' ', '\n', '\0', '\u3000', 'A', 'a', '-', '4', '，', '。'].map((c) => c.charCodeAt(0))
    units.push(0xd83d, 0xde00, 0xd840, 0xdc00)
    let seed = 11
    // An LCG's low bits repeat quickly: use its high ones.
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 12
    const texts = Array.from({ length: 2000 }, () =>
      String.fromCharCode(...Array.from({ length: next() % 40 }, () => (next() % 5 === 0 ? 0x4e00 + (next() % 0x5000) : units[next() % units.length]!))),
    )
    expectSameCuts(texts)
  })

  it.skipIf(!HAVE_DOCS)('cuts the k8s docs as jieba with the whole dictionary does (every 7th line)', () => {
    expectSameCuts(linesOf(filesUnder(DOCS_DIR, '.md')).filter((_, i) => i % 7 === 0))
  })
})
