import { matchKey } from '../text/normalize.js'
import { tokenize, tokenizeQuery } from './tokenizer.js'

interface Entry {
  text: string
  key: string
  tokens: ReadonlySet<string>
  /** Chapter titles come before section headings. */
  rank: number
}

/** Leading numbers of a chapter title ("13 ") are noise in a question. */
function asQuestion(title: string): string {
  return title.replace(/^\s*\d{1,3}\s+/, '').trim()
}

/**
 * Autocomplete for questions: chapter titles and section headings that contain what the user has typed, or
 * share words with it. Everything is precomputed, so a lookup is a scan of short strings: well under a
 * millisecond for thousands of entries, as autocomplete cannot be deferred.
 */
export class Suggester {
  private readonly entries: Entry[] = []

  constructor(titles: readonly string[], headings: readonly string[]) {
    const seen = new Set<string>()
    const add = (text: string, rank: number) => {
      const key = matchKey(text)
      if (!key || seen.has(key) || text.length > 100) return
      seen.add(key)
      this.entries.push({ text, key, tokens: new Set(tokenize(text)), rank })
    }
    for (const title of titles) add(asQuestion(title), 0)
    for (const heading of headings) for (const part of heading.split(' › ')) add(part, 1)
  }

  suggest(typed: string, limit: number): string[] {
    const key = matchKey(typed)
    if (!key) return this.entries.filter((e) => e.rank === 0).slice(0, limit).map((e) => e.text)
    const scored: { entry: Entry; score: number }[] = []
    const terms = key.length >= 2 ? tokenizeQuery(typed) : []
    for (const entry of this.entries) {
      let score = 0
      if (entry.key.startsWith(key)) score = 3
      else if (entry.key.includes(key)) score = 2
      else if (terms.length > 0) {
        const shared = terms.filter((t) => entry.tokens.has(t)).length
        if (shared > 0) score = shared / terms.length
      }
      if (score > 0) scored.push({ entry, score: score - entry.rank * 0.1 })
    }
    scored.sort((a, b) => b.score - a.score)
    return scored.slice(0, limit).map((s) => s.entry.text)
  }
}
