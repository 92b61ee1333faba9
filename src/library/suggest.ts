import { matchKey } from '../text/normalize.js'
import type { Tokenizer } from './tokenizer.js'

/** How many suggestions a prefix keeps precomputed: Discord shows at most 25 choices. */
const KEPT = 25
/** Prefixes shared by at most this many entries are answered from their sorted range, not precomputed. */
const SMALL_RANGE = 48

/** Leading numbers of a chapter title ("13 ") are noise in a question. */
function asQuestion(title: string): string {
  return title.replace(/^\s*\d{1,3}\s+/, '').trim()
}

/** UTF-16 code unit of `key` at `depth`, or -1 past its end (so that a key sorts before its extensions). */
function unitAt(key: string, depth: number): number {
  return depth < key.length ? key.charCodeAt(depth) : -1
}

/**
 * Sorts `ids[lo, hi)` by `keys[id]` in UTF-16 code unit order (as `<` and startsWith compare), given that they
 * share their first `depth` units. A three-way radix quicksort: keys sharing long prefixes (headings of one
 * document) are compared a unit at a time and never from their start again, and no comparator is called: at
 * 100k headings it takes a third of the time the built-in sort does. Equal keys end up in no particular order.
 */
function sortByKey(ids: Int32Array, keys: readonly string[], lo: number, hi: number, depth: number): void {
  while (hi - lo > 1) {
    const pivot = unitAt(keys[ids[(lo + hi) >> 1]!]!, depth)
    let below = lo
    let above = hi - 1
    for (let i = lo; i <= above; ) {
      const unit = unitAt(keys[ids[i]!]!, depth)
      const id = ids[i]!
      if (unit < pivot) {
        ids[i++] = ids[below]!
        ids[below++] = id
      } else if (unit > pivot) {
        ids[i] = ids[above]!
        ids[above--] = id
      } else i++
    }
    sortByKey(ids, keys, lo, below, depth)
    sortByKey(ids, keys, above + 1, hi, depth)
    // The middle part shares one more unit, unless its keys all end here (then they are equal).
    if (pivot < 0) return
    lo = below
    hi = above + 1
    depth++
  }
}

/** The `want` smallest of some entry ids, ascending. */
function smallest(ids: Iterable<number>, want: number): number[] {
  return Array.from(ids)
    .sort((a, b) => a - b)
    .slice(0, want)
}

function addTo<K>(lists: Map<K, number[]>, name: K, id: number): void {
  const list = lists.get(name)
  if (!list) lists.set(name, [id])
  else if (list[list.length - 1] !== id) list.push(id)
}

/**
 * Where keys contain a character or character pair after their first character (an occurrence at the start
 * is a prefix match, answered elsewhere). Characters are numbered as first seen, so that a pair is one small
 * integer: a Map keyed by small integers builds several times faster than one keyed by sliced strings.
 */
class InnerGrams {
  /** UTF-16 code unit → its number here (0: not seen). */
  private readonly charIds = new Int32Array(0x10000)
  /** Character id → the first KEPT entries having it after their start (enough for one lookup). */
  private readonly byChar: number[][] = [[]]
  /** Pair (first id × 0x10000 + second id) → every entry having it after their start, ascending. */
  private readonly byPair = new Map<number, number[]>()

  add(key: string, entry: number): void {
    let previous = this.charId(key.charCodeAt(0), true)!
    for (let i = 1; i < key.length; i++) {
      const id = this.charId(key.charCodeAt(i), true)!
      const list = this.byChar[id]!
      if (list.length < KEPT && list[list.length - 1] !== entry) list.push(entry)
      addTo(this.byPair, previous * 0x10000 + id, entry)
      previous = id
    }
  }

  /** Entries that may contain the key after their start, ascending: a superset, to be checked. */
  candidates(key: string): readonly number[] {
    const ids: number[] = []
    for (let i = 0; i < key.length; i++) {
      const id = this.charId(key.charCodeAt(i), false)
      if (id === undefined) return []
      ids.push(id)
    }
    if (ids.length === 1) return this.byChar[ids[0]!]!
    let rarest: readonly number[] | undefined
    for (let i = 1; i < ids.length; i++) {
      const list = this.byPair.get(ids[i - 1]! * 0x10000 + ids[i]!) ?? []
      if (!rarest || list.length < rarest.length) rarest = list
    }
    return rarest ?? []
  }

  private charId(code: number, assign: boolean): number | undefined {
    let id = this.charIds[code]!
    if (id === 0) {
      if (!assign) return undefined
      this.charIds[code] = id = this.byChar.length
      this.byChar.push([])
    }
    return id
  }
}

/**
 * Autocomplete for questions: chapter titles and section headings that start with what the user has typed,
 * then those that contain it, then those sharing words with it. Entries are numbered titles first, and
 * within each group the lower number wins. No lookup scans the entries (autocomplete cannot be deferred,
 * and a large corpus has 100k headings):
 * - starts with: the keys sorted, so a prefix is a range found by binary search; the first entries of every
 *   prefix shared by many are precomputed, a small range is read directly;
 * - contains: for each character pair, the entries having it after their start, ascending; the rarest pair
 *   of the typed key gives the candidates (one character: its first entries are kept);
 * - shares words: for each word, the entries having it.
 */
export class Suggester {
  /** Each entry's text and key, numbered: titles first, in order, then headings. */
  private readonly texts: string[] = []
  private readonly keys: string[] = []
  private readonly titleCount: number
  /** Entry ids in the order of their keys, and those keys, for binary search. */
  private readonly byKey: number[] = []
  private readonly sortedKeys: string[] = []
  /** Prefix shared by more than SMALL_RANGE entries → the lowest KEPT ids among them, ascending. */
  private readonly firstByPrefix = new Map<string, number[]>()
  private readonly inner = new InnerGrams()
  /** Word → the entries having it. */
  private readonly byToken = new Map<string, number[]>()
  /** Entries below this id are in `inner` and `byToken` (see indexLater). */
  private indexed = 0

  constructor(titles: readonly string[], headings: readonly string[], private readonly tokenizer: Tokenizer) {
    const texts = titles.map(asQuestion)
    const titleCandidates = texts.length
    for (const heading of headings) for (const part of heading.split(' › ')) texts.push(part)
    const keys = texts.map((text) => (text.length > 100 ? '' : matchKey(text)))

    // Sorted by key, the copies of a key stand together: the lowest numbered one is the entry. Sorting first
    // and keeping one of each run needs no map of 100k keys.
    const order = new Int32Array(keys.length).map((_, id) => id)
    sortByKey(order, keys, 0, order.length, 0)
    const firstOfKey: number[] = []
    for (let i = 0; i < order.length; ) {
      const key = keys[order[i]!]!
      let first = order[i++]!
      while (i < order.length && keys[order[i]!] === key) first = Math.min(first, order[i++]!)
      if (key) firstOfKey.push(first)
    }
    // Entries numbered without gaps, in the order of the candidates.
    const isEntry = new Uint8Array(keys.length)
    for (const candidate of firstOfKey) isEntry[candidate] = 1
    const number = new Int32Array(keys.length)
    let titleCount = 0
    for (let candidate = 0; candidate < keys.length; candidate++) {
      if (isEntry[candidate] === 0) continue
      number[candidate] = this.texts.push(texts[candidate]!) - 1
      this.keys.push(keys[candidate]!)
      if (candidate < titleCandidates) titleCount++
    }
    this.titleCount = titleCount
    for (const candidate of firstOfKey) {
      this.byKey.push(number[candidate]!)
      this.sortedKeys.push(keys[candidate]!)
    }
    this.precompute(0, this.byKey.length, 0)
    this.indexLater()
  }

  /** How many distinct entries can be suggested. */
  get size(): number {
    return this.texts.length
  }

  /**
   * Only the fallbacks for few prefix matches need the inner pairs and the words, and building them costs more
   * than the rest (at 100k entries about 0.2 s for the pairs and 0.4 s for segmenting with jieba): they are built
   * in slices between other work, without keeping the process alive, and finished at once if a fallback comes
   * first.
   */
  private indexLater(): void {
    const step = () => {
      this.indexUpTo(this.indexed + 2000)
      if (this.indexed < this.texts.length) setTimeout(step, 0).unref()
    }
    setTimeout(step, 0).unref()
  }

  private indexUpTo(upTo: number): void {
    const end = Math.min(upTo, this.texts.length)
    for (let id = this.indexed; id < end; id++) {
      this.inner.add(this.keys[id]!, id)
      for (const token of this.tokenizer.tokenize(this.texts[id]!)) addTo(this.byToken, token, id)
    }
    this.indexed = end
  }

  /**
   * Keys [lo, hi) share their first `depth` characters: record the lowest ids of every longer prefix shared
   * by many, and return the lowest ids of the range.
   */
  private precompute(lo: number, hi: number, depth: number): number[] {
    if (hi - lo <= SMALL_RANGE) return smallest(this.byKey.slice(lo, hi), KEPT)
    const ids: number[] = []
    let i = lo
    // A key that is the prefix itself sorts first.
    while (i < hi && this.sortedKeys[i]!.length === depth) ids.push(this.byKey[i++]!)
    while (i < hi) {
      const char = this.sortedKeys[i]![depth]
      let end = i + 1
      while (end < hi && this.sortedKeys[end]![depth] === char) end++
      ids.push(...this.precompute(i, end, depth + 1))
      i = end
    }
    const first = smallest(ids, KEPT)
    if (depth > 0) this.firstByPrefix.set(this.sortedKeys[lo]!.slice(0, depth), first)
    return first
  }

  /** The lowest `want` ids of entries whose key starts with `key`. */
  private startingWith(key: string, want: number): number[] {
    let lo = 0
    let hi = this.sortedKeys.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.sortedKeys[mid]! < key) lo = mid + 1
      else hi = mid
    }
    const start = lo
    hi = this.sortedKeys.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.sortedKeys[mid]!.startsWith(key)) lo = mid + 1
      else hi = mid
    }
    const kept = want <= KEPT ? this.firstByPrefix.get(key) : undefined
    return kept ? kept.slice(0, want) : smallest(this.byKey.slice(start, lo), want)
  }

  /** The lowest `want` ids of entries whose key contains `key` but does not start with it. */
  private containing(key: string, want: number): number[] {
    this.indexUpTo(this.texts.length)
    const found: number[] = []
    for (const id of this.inner.candidates(key)) {
      if (found.length >= want) break
      const entryKey = this.keys[id]!
      if (entryKey.includes(key) && !entryKey.startsWith(key)) found.push(id)
    }
    return found
  }

  /**
   * The first `want` entries sharing words with the typed ones: most words shared first, then titles before
   * headings, then by the first word they share, then by number. The word lists are merged in step (they are
   * ascending), so counting costs a comparison per listed entry, and each rank keeps only its first `want`.
   */
  private related(terms: readonly string[], chosen: ReadonlySet<number>, want: number): number[] {
    const lists = terms.map((term) => this.byToken.get(term) ?? [])
    const at = new Int32Array(lists.length)
    // buckets[shared - 1][heading ? 1 : 0][first shared word] → ids, ascending
    const buckets = terms.map(() => [0, 1].map(() => terms.map((): number[] => [])))
    for (;;) {
      let id = Infinity
      for (let i = 0; i < lists.length; i++) {
        const next = lists[i]![at[i]!]
        if (next !== undefined && next < id) id = next
      }
      if (id === Infinity) break
      let shared = 0
      let first = -1
      for (let i = 0; i < lists.length; i++) {
        if (lists[i]![at[i]!] !== id) continue
        at[i]!++
        shared++
        if (first < 0) first = i
      }
      if (chosen.has(id)) continue
      const bucket = buckets[shared - 1]![id < this.titleCount ? 0 : 1]![first]!
      if (bucket.length < want) bucket.push(id)
    }
    const out: number[] = []
    for (let shared = terms.length; shared >= 1 && out.length < want; shared--) {
      for (const byFirst of buckets[shared - 1]!) for (const ids of byFirst) out.push(...ids)
    }
    return out.slice(0, want)
  }

  suggest(typed: string, limit: number): string[] {
    const key = matchKey(typed)
    if (!key) return this.texts.slice(0, Math.min(limit, this.titleCount))
    // Best first: titles, then headings, that start with the typed text; then those containing it.
    const found = this.startingWith(key, limit)
    if (found.length < limit) found.push(...this.containing(key, limit - found.length))
    if (found.length >= limit || key.length < 2) return found.map((id) => this.texts[id]!)
    // Too few literal matches: entries sharing words with what was typed, most shared first.
    return [...found, ...this.related(this.tokenizer.tokenizeQuery(typed), new Set(found), limit - found.length)].map((id) => this.texts[id]!)
  }
}
