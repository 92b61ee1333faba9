import { jiebaFile } from './jieba-data.js'

/**
 * jieba's IDF table: how rare each word is in general Chinese text. A course of a hundred passages cannot
 * tell by itself that "上", "能" or "问题" are everyday words that say little about a question (each occurs in
 * only a few of its passages); general text can.
 */
const CONTENT_WORD_IDF = 8

/**
 * For each of `words`, a factor in (0, 1]: 1 for words at least as rare in general Chinese as a typical
 * technical word ("容器" 8.5, "集群" 8.5), less for everyday ones ("上" 2.5 → 0.32, "问题" 4.0 → 0.5).
 * Words jieba's table does not list (English words, product names) count as rare.
 */
export function generalRarity(words: Iterable<string>): Map<string, number> {
  const wanted = new Set(words)
  const factors = new Map<string, number>()
  const text = jiebaFile('idf.txt').toString('utf8')
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ')
    if (space <= 0) continue
    const word = line.slice(0, space)
    if (!wanted.has(word)) continue
    const value = Number(line.slice(space + 1))
    if (Number.isFinite(value) && value < CONTENT_WORD_IDF) factors.set(word, Math.max(value, 0.5) / CONTENT_WORD_IDF)
  }
  return factors
}
