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
  /** Token → the entries that have it, so related suggestions touch only entries sharing a word. */
  private readonly byToken = new Map<string, Entry[]>()

  constructor(titles: readonly string[], headings: readonly string[]) {
    const seen = new Set<string>()
    const add = (text: string, rank: number) => {
      const key = matchKey(text)
      if (!key || seen.has(key) || text.length > 100) return
      seen.add(key)
      const entry = { text, key, tokens: new Set(tokenize(text)), rank }
      this.entries.push(entry)
      for (const token of entry.tokens) {
        const list = this.byToken.get(token)
        if (list) list.push(entry)
        else this.byToken.set(token, [entry])
      }
    }
    for (const title of titles) add(asQuestion(title), 0)
    for (const heading of headings) for (const part of heading.split(' › ')) add(part, 1)
  }

  suggest(typed: string, limit: number): string[] {
    const key = matchKey(typed)
    if (!key) return this.entries.filter((e) => e.rank === 0).slice(0, limit).map((e) => e.text)
    // Best first: titles, then headings, that start with the typed text; then those containing it. Entries are
    // kept titles-first, so one pass fills the buckets in order and stops once the first ones are full.
    const starts: Entry[] = []
    const contains: Entry[] = []
    for (const entry of this.entries) {
      if (entry.key.startsWith(key)) {
        starts.push(entry)
        if (starts.length >= limit) break
      } else if (contains.length < limit && entry.key.includes(key)) contains.push(entry)
    }
    const found = [...starts, ...contains].slice(0, limit)
    if (found.length >= limit || key.length < 2) return found.map((e) => e.text)
    // Too few literal matches: entries sharing words with what was typed, most shared first.
    const chosen = new Set(found)
    const shared = new Map<Entry, number>()
    for (const term of tokenizeQuery(typed)) {
      for (const entry of this.byToken.get(term) ?? []) if (!chosen.has(entry)) shared.set(entry, (shared.get(entry) ?? 0) + 1)
    }
    const related = [...shared].map(([entry, count]) => ({ entry, shared: count })).sort((a, b) => b.shared - a.shared || a.entry.rank - b.entry.rank)
    return [...found, ...related.map((x) => x.entry)].slice(0, limit).map((e) => e.text)
  }
}
