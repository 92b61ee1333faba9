import { normalize } from '../text/normalize.js'
import { ENGLISH_TO_CHINESE } from './glossary.js'
import { isStopWord, type Tokenizer } from './tokenizer.js'

/** Shortest word we try to correct: below this, one wrong character is too much of the word to guess from. */
const MIN_LENGTH = 3

function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return false
  if (Math.abs(a.length - b.length) > 1) return false
  let i = 0
  let j = 0
  let edits = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++
      j++
      continue
    }
    if (++edits > 1) return false
    if (a.length > b.length) i++
    else if (b.length > a.length) j++
    else {
      i++
      j++
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1
}

/** The Chinese words whose sound is kept: a homophone typo of a longer one would be a chance likeness. */
export const HAN_WORD = /^\p{Script=Han}{2,6}$/u
/** The characters whose readings the lexicon keeps: CJK Unified Ideographs, where a pinyin IME's choices fall. */
export const HAN_READINGS_FIRST = 0x4e00
export const HAN_READINGS_LAST = 0x9fff
/** Most sounds one typo is heard as: 6 characters of 2 readings each, more than any word with real polyphones. */
const MAX_SOUNDS = 64

/** What the corrector knows besides the index's tokens, built with the index by spelling-lexicon.ts. */
export interface SpellingLexicon {
  /** Adjacent words of titles and headings joined, 2 or 3 at a time, that are not tokens themselves. */
  joined: string[]
  /** Each toneless pinyin, then the known Chinese words of 2–6 characters that sound so: ["gaojing", "告警"]. */
  sounds: string[][]
  /** Per character from HAN_READINGS_FIRST on, its toneless readings, space-separated ('' when it has none). */
  readings: string[]
}

/**
 * Corrects one-character typos against the index vocabulary: "生明式" → "声明式", "kubeadmn" → "kubeadm".
 * Only words the index does not know are corrected, so a correctly spelt question is never changed.
 */
export class SpellingCorrector {
  /**
   * Known words by length and first character, and by length and last character. A word one edit away from
   * another shares its first or its last character (an edit cannot change both of a word of 3 or more
   * characters), so only those buckets are scanned, not the whole vocabulary.
   */
  private readonly byEnds = new Map<string, string[]>()
  private readonly known = new Set<string>()
  /** Toneless pinyin → known Chinese words that sound so ("gaojing" → 告警), for IME homophone typos. */
  private readonly bySound = new Map<string, string[]>()

  private readonly readings: readonly string[]

  /** `words` are the index's tokens; `lexicon` the rest, built with them. */
  constructor(words: Iterable<string>, lexicon: SpellingLexicon, private readonly tokenizer: Tokenizer) {
    for (const word of words) this.known.add(word)
    for (const word of lexicon.joined) this.known.add(word)
    for (const [sound, ...list] of lexicon.sounds) if (sound !== undefined) this.bySound.set(sound, list)
    this.readings = lexicon.readings
    for (const word of this.known) {
      const chars = [...word]
      if (chars.length < MIN_LENGTH) continue
      for (const key of [`${chars.length}<${chars[0]}`, `${chars.length}>${chars[chars.length - 1]}`]) {
        const list = this.byEnds.get(key) ?? []
        list.push(word)
        this.byEnds.set(key, list)
      }
    }
  }

  private nearest(word: string, byEdit = true): string[] {
    if (this.known.has(word)) return []
    // An IME typo sounds like the word meant ("网洛" for "网络"), however short the word. A real word that the
    // course happens not to use ("寄语", "只能") is left alone, though it sounds like one it does ("基于", "智能").
    const homophones = HAN_WORD.test(word) && !this.tokenizer.isDictionaryWord(word) ? this.homophones(word) : []
    if (homophones.length > 0) return homophones.length <= 2 ? homophones : []
    const chars = [...word]
    if (!byEdit || chars.length < MIN_LENGTH) return []
    const found = new Set<string>()
    for (const size of [chars.length - 1, chars.length, chars.length + 1]) {
      for (const key of [`${size}<${chars[0]}`, `${size}>${chars[chars.length - 1]}`]) {
        for (const candidate of this.byEnds.get(key) ?? []) if (withinOneEdit(word, candidate)) found.add(candidate)
      }
    }
    // Several equally near words: the typo is ambiguous, and guessing would add noise.
    return found.size <= 3 ? [...found] : []
  }

  /** Known words that sound like `word` read in any of its characters' readings. */
  private homophones(word: string): string[] {
    let sounds = ['']
    for (const char of word) {
      const readings = this.readings[char.codePointAt(0)! - HAN_READINGS_FIRST]
      if (!readings) return []
      sounds = sounds.flatMap((sound) => readings.split(' ').map((reading) => sound + reading)).slice(0, MAX_SOUNDS)
    }
    return [...new Set(sounds.flatMap((sound) => this.bySound.get(sound) ?? []))]
  }

  /**
   * Corrections for a query. Chinese typos usually split a word into unknown pieces ("生|明式"), so runs of
   * two or three adjacent segments are tried as one word as well.
   */
  corrections(query: string): string[] {
    const text = normalize(query)
    const out = new Set<string>()
    // English words of five letters or fewer, and words the glossary translates, are words, not typos: "batch"
    // is not "patch", nor "managed" "manager".
    for (const [word] of text.matchAll(/[a-z][a-z0-9-]{5,}/g)) if (!Object.hasOwn(ENGLISH_TO_CHINESE, word)) for (const c of this.nearest(word)) out.add(c)
    for (const [run] of text.matchAll(/\p{Script=Han}+/gu)) {
      const words = this.tokenizer.cutWords(run)
      for (let i = 0; i < words.length; i++) {
        for (let span = 1; span <= 3 && i + span <= words.length; span++) {
          const pieces = words.slice(i, i + span)
          if (pieces.some(isStopWord) || pieces.every((p) => this.known.has(p))) continue
          // Real words ("所有" + "状态", "节点" + "上" + "跑") may still be a homophone slip ("容器" + "镜象"), but one
          // edit away from a course word ("有状态", "节点上所") they are a coincidence. A one-character word counts too:
          // read as typos, they cost docs-h…af 31 questions on the pages and 16 merged (session 15).
          const realWords = pieces.every((p) => this.known.has(p) || this.tokenizer.isDictionaryWord(p))
          for (const c of this.nearest(pieces.join(''), !realWords)) out.add(c)
        }
      }
    }
    return [...out]
  }
}
