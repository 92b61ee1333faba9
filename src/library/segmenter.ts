import { Jieba } from '@node-rs/jieba'
import type { CorpusWord } from './corpus-words.js'
import type { JiebaDictionary } from './jieba-dictionary.js'

/** What the tokenizer asks of jieba. */
export interface Segmenter {
  cut(text: string, hmm: boolean): string[]
  cutForSearch(text: string, hmm: boolean): string[]
  /** Be ready to cut `text` and any piece of it (a question before its words are cut one run at a time). */
  learn?(text: string): void
}

/**
 * A word that stands for the frequencies of every dictionary word not loaded: jieba scores a word by its share
 * of the total frequency, so the total must stay the whole dictionary's. A private-use character, which no
 * jieba word pattern ever reaches.
 */
const REST = '\uE000'

/** How many of the texts last learnt are remembered (see `recent`). */
const RECENT = 8

/**
 * jieba holding only the dictionary words found in the texts it has been asked to cut, each loaded the first
 * time a text contains it. jieba's segmentation of a text depends only on the dictionary words that occur in
 * it and on the total frequency, so it cuts every text exactly as jieba with the whole dictionary does
 * (tests/library/segmenter.test.ts), for a few MB where the whole dictionary takes about 45 MB. A corpus's own
 * word frequencies (corpus-words.ts) replace the dictionary's, as they do in the whole dictionary at indexing.
 */
export class OnDemandSegmenter implements Segmenter {
  private readonly jieba = new Jieba()
  /** Per dictionary line: whether jieba holds its word. */
  private readonly loaded: Uint8Array
  private loadedFrequency = 0
  /** The whole dictionary's total frequency, with the corpus's words at their own frequencies. */
  private readonly totalFrequency: number
  /** Per dictionary line, the corpus's own frequency for its word, where it has one. */
  private readonly corpusFrequency = new Map<number, number>()
  /**
   * The last texts learnt. A search cuts its question, then pieces of it (runs of Chinese, words checked for
   * typos): a piece's dictionary words are among its whole's, so it needs no lookup of its own.
   */
  private readonly recent: string[] = []

  constructor(
    private readonly dictionary: JiebaDictionary,
    corpusWords: readonly CorpusWord[] = [],
  ) {
    this.loaded = new Uint8Array(dictionary.size)
    // Only dictionary words are given corpus frequencies (see undervaluedWords).
    for (const [word, frequency] of corpusWords) {
      const line = dictionary.lineOf(word)
      if (line !== undefined) this.corpusFrequency.set(line, frequency)
    }
    let total = dictionary.totalFrequency
    for (const [line, frequency] of this.corpusFrequency) total += frequency - dictionary.frequency(line)
    this.totalFrequency = total
    this.jieba.loadDict(Buffer.from(`${REST} ${total}\n`))
  }

  cut(text: string, hmm: boolean): string[] {
    this.learn(text)
    return this.jieba.cut(text, hmm)
  }

  cutForSearch(text: string, hmm: boolean): string[] {
    this.learn(text)
    return this.jieba.cutForSearch(text, hmm)
  }

  /** Load the dictionary words of `text` that jieba does not hold yet, and lower REST by their frequencies. */
  learn(text: string): void {
    if (this.recent.some((learnt) => learnt.includes(text))) return
    const lines: string[] = []
    for (const line of this.dictionary.wordsIn(text)) {
      if (this.loaded[line] === 1) continue
      this.loaded[line] = 1
      const corpus = this.corpusFrequency.get(line)
      this.loadedFrequency += corpus ?? this.dictionary.frequency(line)
      lines.push(corpus === undefined ? this.dictionary.line(line) : `${this.dictionary.word(line)} ${corpus}`)
    }
    // Loading a word jieba holds replaces its frequency (and the total with it): REST is lowered, not added twice.
    if (lines.length > 0) this.jieba.loadDict(Buffer.from(`${lines.join('\n')}\n${REST} ${this.totalFrequency - this.loadedFrequency}\n`))
    this.recent.unshift(text)
    this.recent.length = Math.min(this.recent.length, RECENT)
  }
}
