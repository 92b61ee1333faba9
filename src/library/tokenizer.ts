import { Jieba } from '@node-rs/jieba'
import type { Passage } from '../corpus/types.js'
import { normalize } from '../text/normalize.js'
import { undervaluedWords, type CorpusWord } from './corpus-words.js'
import { glossesOf, type EnglishGlosses } from './english-glosses.js'
import { jiebaFile } from './jieba-data.js'
import { JiebaDictionary } from './jieba-dictionary.js'
import { OnDemandSegmenter, type Segmenter } from './segmenter.js'
import { ENGLISH_STOP_WORDS, ENGLISH_TO_CHINESE } from './glossary.js'
import { ASKING_THESAURUS, TOPIC_THESAURUS } from './thesaurus.js'

/**
 * One tokenizer for the index and for queries. Bump TOKENIZER_VERSION whenever its output changes, so that
 * persisted indexes built with the old one are rebuilt rather than silently mismatched.
 */
export const TOKENIZER_VERSION = 6

/** jieba's dictionary as the answering segmenters search it: read once, shared by every tokenizer. */
let dictionary: JiebaDictionary | undefined
const jiebaDictionary = (): JiebaDictionary => (dictionary ??= JiebaDictionary.load())

/** Words that are the same thing to a reader. Applied at index and query time alike. */
const SYNONYMS: Readonly<Record<string, string>> = {
  k8s: 'kubernetes',
  kubenetes: 'kubernetes',
  kubernets: 'kubernetes',
  kubernete: 'kubernetes',
  kuberentes: 'kubernetes',
  pods: 'pod',
  containers: 'container',
  nodes: 'node',
  services: 'service',
  deployments: 'deployment',
  statefulsets: 'statefulset',
  daemonsets: 'daemonset',
  jobs: 'job',
  volumes: 'volume',
  namespaces: 'namespace',
  operators: 'operator',
  controllers: 'controller',
  cgroups: 'cgroup',
  gpus: 'gpu',
}

/**
 * Chinese function and question words. They say how a question is asked, not what it is about, and they
 * match a large share of all passages (slow and noisy to score).
 */
const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  ('什么 怎么 怎么样 怎样 如何 吗 呢 吧 啊 呀 嘛 么 啥 为啥 哪 哪些 哪个 哪里 是否 能否 可否 请问 一下 到底 究竟 ' +
    '的 了 着 过 地 得 和 与 及 或 或者 是 在 有 就 都 也 还 又 把 被 让 给 对 从 向 这 那 这个 那个 这些 那些 ' +
    '这样 那样 一个 一种 我 你 他 她 它 我们 你们 他们 咱们 自己 之 其 而 并 但 但是 所以 因为 如果 就是 ' +
    '讲 讲讲 讲解 讲述 说说 解释 介绍 介绍一下 聊聊 么样 什么样 是什么 有什么 有哪些 是不是 会不会 能不能 要不要 ' +
    '这么 那么 怎么办 哪位 一些 有些 咋 咋样 咋办 咋整 咋回事 怎么回事 回事 啥事 干嘛 行不行 捏 呗 咯 嘞')
    .split(/\s+/),
)

export function isStopWord(word: string): boolean {
  return CHINESE_STOP_WORDS.has(word) || ENGLISH_STOP_WORDS.has(word)
}

// A run of Latin letters and digits, with inner joiners kept so that `kube-apiserver` and `v1.13` stay whole.
const LATIN_WORD = /[a-z0-9]+(?:[-_.][a-z0-9]+)*/g
const HAN_RUN = /[\p{Script=Han}]+/gu
const HAN_ONLY = /^\p{Script=Han}+$/u
const HAN = /\p{Script=Han}/u
const ENGLISH_WORD = /^[a-z]+$/

function latinTokens(word: string): string[] {
  const parts = word.split(/[-_.]/).filter((p) => p.length > 0)
  const all = parts.length > 1 ? [word, ...parts] : [word]
  // A lone letter or digit says nothing, and as a prefix it would match half the index.
  return all.map((t) => SYNONYMS[t] ?? t).filter((t) => t.length > 1 && !ENGLISH_STOP_WORDS.has(t))
}

function hanTokens(run: string, segmenter: Segmenter): string[] {
  return segmenter.cutForSearch(run, true).filter((t) => !CHINESE_STOP_WORDS.has(t))
}

/** Tokens of already-normalised text, in order of appearance, without duplicates. */
function tokenizeNormalized(text: string, segmenter: Segmenter): string[] {
  // Each token once: where repeats count (a passage's text in the token store), they come from `occurrences`.
  return [...new Set(occurrences(text, segmenter))]
}

/** Every token of a normalised text, as often as the text has it. */
function occurrences(text: string, segmenter: Segmenter): string[] {
  const tokens: string[] = []
  for (const match of text.matchAll(LATIN_WORD)) tokens.push(...latinTokens(match[0]))
  for (const match of text.matchAll(HAN_RUN)) tokens.push(...hanTokens(match[0], segmenter))
  return tokens
}

const GLOSSARY_PHRASES = Object.keys(ENGLISH_TO_CHINESE).sort((a, b) => b.length - a.length)
const GLOSSARY_PATTERN = new RegExp(
  `(?<![a-z0-9])(?:${GLOSSARY_PHRASES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![a-z0-9])`,
  'g',
)

/**
 * Thesaurus keys as patterns. Latin keys match as whole words ("kind", not "kinds"); Chinese keys must start and
 * end where the question's words do, so that "所有状态" (所有 + 状态) does not read as "有状态".
 */
type ThesaurusKeys = readonly { pattern: RegExp; latin: boolean; terms: readonly string[] }[]

function thesaurusKeys(thesaurus: Readonly<Record<string, readonly string[]>>): ThesaurusKeys {
  return Object.entries(thesaurus).map(([key, terms]) => {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const latin = /^[a-z0-9 ]+$/.test(key)
    return { pattern: new RegExp(latin ? `(?<![a-z0-9])${escaped}(?![a-z0-9])` : escaped, 'g'), latin, terms }
  })
}

const ASKING = thesaurusKeys(ASKING_THESAURUS)
const TOPICS = thesaurusKeys(TOPIC_THESAURUS)

/** The glossary's and the topic thesaurus's terms for a normalised question. */
function tableTermsOf(text: string, segmenter: Segmenter): string[] {
  const terms: string[] = []
  for (const match of text.matchAll(GLOSSARY_PATTERN)) {
    for (const term of ENGLISH_TO_CHINESE[match[0]] ?? []) terms.push(...tokenizeNormalized(term, segmenter))
  }
  for (const term of thesaurusTerms(text, segmenter, TOPICS)) terms.push(...tokenizeNormalized(term, segmenter))
  return terms
}

/** Offsets in `text` where one of jieba's words begins or ends. */
function wordBoundaries(text: string, segmenter: Segmenter): Set<number> {
  const boundaries = new Set([0])
  let at = 0
  for (const word of segmenter.cut(text, true)) boundaries.add((at += word.length))
  return boundaries
}

function thesaurusTerms(text: string, segmenter: Segmenter, thesaurus: ThesaurusKeys): string[] {
  let boundaries: Set<number> | undefined
  const terms: string[] = []
  for (const { pattern, latin, terms: meant } of thesaurus) {
    // exec on the shared pattern, not matchAll, which copies the pattern: this runs for every key on every question.
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      boundaries ??= wordBoundaries(text, segmenter)
      if (latin || (boundaries.has(match.index) && boundaries.has(match.index + match[0].length))) {
        terms.push(...meant)
        break
      }
    }
  }
  return terms
}

/**
 * One tokenizer for a library's index and its questions, with the words its corpus uses whole that jieba's
 * dictionary undervalues (corpus-words.ts). Two jiebas inside cut every text alike: answering (questions, titles,
 * headings) loads only the dictionary words its texts contain; indexing a whole corpus, where that lookup would
 * cost more than it saves, loads the whole dictionary. Each is made when first needed, so a start on a saved index
 * never holds the whole dictionary.
 */
export class Tokenizer {
  private answering: Segmenter | undefined

  constructor(
    /** Kept in the index with the tokens they were cut with. */
    readonly corpusWords: readonly CorpusWord[] = [],
    /** The corpus's Chinese words for English ones, for questions asked in English; kept in the index. */
    readonly englishGlosses: EnglishGlosses = new Map(),
    private indexing?: Segmenter,
  ) {}

  /**
   * A tokenizer for indexing a corpus: the words its text undervalues (reader comments are not its text) are found
   * with the whole dictionary, which then takes their frequencies and stays for indexing.
   */
  static forCorpus(passages: readonly Pick<Passage, 'kind' | 'text'>[]): Tokenizer {
    const whole = Jieba.withDict(jiebaFile('dict.txt'))
    const words = undervaluedWords(
      passages.filter((p) => p.kind !== 'comment').map((p) => p.text),
      whole,
      jiebaDictionary(),
    )
    return new Tokenizer(words, new Map(), withCorpusWords(whole, words))
  }

  /** This tokenizer's corpus words with the glosses of the corpus's words, once its index is built (english-glosses.ts). */
  withEnglishGlosses(glosses: EnglishGlosses): Tokenizer {
    return new Tokenizer(this.corpusWords, glosses)
  }

  private jieba(): Segmenter {
    return (this.answering ??= new OnDemandSegmenter(jiebaDictionary(), this.corpusWords))
  }

  private indexJieba(): Segmenter {
    return (this.indexing ??= withCorpusWords(Jieba.withDict(jiebaFile('dict.txt')), this.corpusWords))
  }

  /** A text's tokens, as the index holds them. */
  tokenize(text: string): string[] {
    return tokenizeNormalized(normalize(text), this.jieba())
  }

  /** The same tokens as `tokenize`, for indexing a whole corpus (see the class's comment). */
  tokenizeForIndex(text: string): string[] {
    return tokenizeNormalized(normalize(text), this.indexJieba())
  }

  /** `tokenizeForIndex`'s tokens, each as often as the text has it: how often a passage names a term tells how much it is about it. */
  occurrencesForIndex(text: string): string[] {
    return occurrences(normalize(text), this.indexJieba())
  }

  /** Indexing is done: let the whole dictionary go (a bot that rebuilt its index at start answers without it). */
  releaseIndexDictionary(): void {
    this.indexing = undefined
  }

  /** Words of a text in jieba's precise mode (no overlapping sub-words), for phrase-level work. */
  cutWords(text: string): string[] {
    return this.jieba().cut(normalize(text), true)
  }

  /** Whether jieba's dictionary lists a word: a Chinese word it does not is likely a typo (or a name). */
  isDictionaryWord(word: string): boolean {
    const pieces = this.jieba().cut(word, false)
    return pieces.length === 1 && pieces[0] === word
  }

  /**
   * Query-time tokens: the index tokens plus the corpus's Chinese words for the English ones (english-glosses.ts), so
   * that "how do I delete a snapshot" also looks for 删除 / 快照. With `tables`, the hand-made tables' terms too
   * (glossary.ts, thesaurus.ts), which then translate the English words they know in place of the dictionary. The
   * tables were written for the seed pages, where most chapters are only a title: they lead a question to the words
   * the titles use. Where chapters have their text, they cost more than they find (docs/ranking.md, session 15), and
   * the ranker counts them for title-only chapters alone (Ranker.questionTerms).
   */
  tokenizeQuery(query: string, { tables = true }: { tables?: boolean } = {}): string[] {
    const { text, jieba } = this.question(query)
    return this.queryTerms(text, jieba, tables)
  }

  /**
   * `tokenizeQuery` without the hand-made tables, and apart the terms the tables add to it, from one reading of the
   * question: for a corpus where only some chapters are titles, which alone count the tables' terms.
   */
  tokenizeQueryApart(query: string): { own: string[]; tables: string[] } {
    const { text, jieba } = this.question(query)
    const own = this.queryTerms(text, jieba, false)
    const ownSet = new Set(own)
    return { own, tables: [...new Set(tableTermsOf(text, jieba))].filter((t) => !ownSet.has(t)) }
  }

  /** `tokenizeQuery` of a question already read (`question`). */
  private queryTerms(text: string, jieba: Segmenter, tables: boolean): string[] {
    const tokens = tokenizeNormalized(text, jieba)
    const translated = tables ? tableTermsOf(text, jieba) : []
    for (const term of thesaurusTerms(text, jieba, ASKING)) translated.push(...tokenizeNormalized(term, jieba))
    for (const glosses of this.dictionaryGlosses(text, tables).values()) translated.push(...glosses)
    return [...new Set([...tokens, ...translated])]
  }

  /** A question normalised, and the segmenter that has learnt its words: its runs, words and pieces are cut next. */
  private question(query: string): { text: string; jieba: Segmenter } {
    const text = normalize(query)
    const jieba = this.jieba()
    jieba.learn?.(text)
    return { text, jieba }
  }

  /**
   * In a question asked in English (no Chinese in it), each English word (with `tables`, each the glossary does not
   * translate) with the corpus's Chinese words the dictionary glosses it with. A Chinese question's Latin words are
   * names and terms (Pod, pending) that its text uses as they are.
   */
  private dictionaryGlosses(text: string, tables: boolean): Map<string, readonly string[]> {
    const found = new Map<string, readonly string[]>()
    if (this.englishGlosses.size === 0 || HAN.test(text)) return found
    const glossary = new Set<string>()
    if (tables) for (const match of text.matchAll(GLOSSARY_PATTERN)) for (const word of match[0].split(' ')) glossary.add(word)
    for (const match of text.matchAll(LATIN_WORD)) {
      for (const token of latinTokens(match[0])) {
        if (!ENGLISH_WORD.test(token) || glossary.has(token) || found.has(token)) continue
        const glosses = glossesOf(token, this.englishGlosses)
        if (glosses.length > 0) found.set(token, glosses)
      }
    }
    return found
  }

  /**
   * Which word of the question each term comes from, as a number per term (terms of one word share it). jieba's
   * search mode gives a Chinese word and its pieces (多长时间: 多长, 时间, 长时间, 多长时间), which together stand for
   * one word of the question, as an English word and its dictionary glosses do; every other term (a Latin word, a
   * translation, a correction) is a word of its own.
   */
  questionWordOfTerms(query: string, terms: readonly string[], { tables = true }: { tables?: boolean } = {}): number[] {
    const words = terms.map(() => -1)
    // Only Chinese terms are pieces of a Chinese word.
    const han = terms.map((term) => HAN_ONLY.test(term))
    let count = 0
    for (const match of normalize(query).matchAll(HAN_RUN)) {
      for (const word of this.jieba().cut(match[0], true)) {
        // Search mode's pieces of a word are the terms inside it.
        let found = false
        terms.forEach((term, i) => {
          if (words[i] === -1 && han[i] && word.includes(term)) {
            words[i] = count
            found = true
          }
        })
        if (found) count++
      }
    }
    // An English word and its Chinese glosses are one word of the question too.
    for (const [english, glosses] of this.dictionaryGlosses(normalize(query), tables)) {
      const at = terms.indexOf(english)
      if (at < 0) continue
      if (words[at] === -1) words[at] = count++
      for (const gloss of glosses) {
        const i = terms.indexOf(gloss)
        if (i >= 0 && words[i] === -1) words[i] = words[at]!
      }
    }
    return words.map((word) => (word === -1 ? count++ : word))
  }

  /**
   * Adjacent word pairs of a query (容器 + 网络, 拓扑 + 状态), for a proximity bonus: a passage or title
   * that has the words side by side is more on-topic than one that mentions them far apart.
   */
  queryPhrases(query: string): [string, string][] {
    const phrases = new Map<string, [string, string]>()
    for (const match of normalize(query).matchAll(/[\p{Script=Han}a-z0-9]+(?:[-_. ]+[\p{Script=Han}a-z0-9]+)*/gu)) {
      const words = this.jieba()
        .cut(match[0].replace(/[-_. ]+/g, ''), true)
        .map((w) => SYNONYMS[w] ?? w)
        .filter((w) => !CHINESE_STOP_WORDS.has(w) && !ENGLISH_STOP_WORDS.has(w))
      for (let i = 0; i + 1 < words.length; i++) phrases.set(words[i]! + words[i + 1]!, [words[i]!, words[i + 1]!])
    }
    return [...phrases.values()]
  }
}

/** jieba with the whole dictionary, given a corpus's word frequencies: loading a word it holds replaces its frequency, and the total with it. */
function withCorpusWords(whole: Jieba, words: readonly CorpusWord[]): Jieba {
  if (words.length > 0) whole.loadDict(Buffer.from(`${words.map(([word, frequency]) => `${word} ${frequency}`).join('\n')}\n`))
  return whole
}

/** The tokenizer of a corpus with no words of its own (the seed pages), and of tools that compare engines. */
export const plainTokenizer = new Tokenizer()
