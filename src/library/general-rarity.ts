import { jiebaFile } from './jieba-data.js'

/**
 * jieba's IDF table says how rare each word is in general Chinese text. A course of a hundred passages cannot tell
 * by itself that "上", "能" or "问题" are everyday words that say little about a question (each occurs in only a few
 * of its passages); general text can.
 *
 * For each of `words`, a factor in (0, 1]: its general IDF over `contentWordIdf` (WEIGHTS.GENERAL_IDF), for words
 * commoner than that ("上" 2.5, "处理" 5.4, "版本" 7.6, "容器" 8.5 at 11: 0.23, 0.49, 0.69, 0.77); words at least as
 * rare, and words the table does not list (English words, product names), have no entry: full weight. A
 * `contentWordIdf` of 0 scales no word.
 */
export function generalRarity(words: Iterable<string>, contentWordIdf: number): Map<string, number> {
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
        if (Number.isFinite(value) && value < contentWordIdf) factors.set(word, Math.max(value, 0.5) / contentWordIdf)
      }
    }
    start = end + 1
  }
  return factors
}

const NEWLINE = 0x0a
const SPACE = 0x20
