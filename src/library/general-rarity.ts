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
  // Line by line from the file's bytes: the table's 350,000 lines are never all held as strings at once (30 MB at
  // the end of a build, when memory peaks), and each word is decoded alone and dropped at once.
  const table = jiebaFile('idf.txt')
  for (let start = 0; start < table.length; ) {
    const newline = table.indexOf(NEWLINE, start)
    const end = newline < 0 ? table.length : newline
    const space = table.indexOf(SPACE, start)
    if (space > start && space < end) {
      const word = table.toString('utf8', start, space)
      if (wanted.has(word)) {
        const value = Number(table.toString('latin1', space + 1, end))
        if (Number.isFinite(value) && value < CONTENT_WORD_IDF) factors.set(word, Math.max(value, 0.5) / CONTENT_WORD_IDF)
      }
    }
    start = end + 1
  }
  return factors
}

const NEWLINE = 0x0a
const SPACE = 0x20
