import { ScoreTable } from './bounded-best.js'

/**
 * Where a token occurs in a document, the best place first: in its own prose, in its context (heading, chapter
 * title), or only in the code that goes with it.
 */
export type TokenPlace = 'text' | 'context' | 'code'
/** The places Orama's text fields read (code is weighed only when candidates are rescored). */
export type FieldPlace = Exclude<TokenPlace, 'code'>

/** What a store is made of, as the index file keeps it: two lists of strings and two typed arrays. */
export interface TokenStoreParts {
  vocabulary: readonly string[]
  documents: readonly string[]
  /** Uint32 token ids: per document, its text's sorted ids, then its context's, then its code's. */
  tokens: Uint32Array
  /** Uint32: where document i's text starts (3i), its context (3i + 1), its code (3i + 2); one final end. */
  offsets: Uint32Array
  /** Per entry of `tokens`, how often its place has the token (at most 255). */
  repeats: Uint8Array
}

/** How many lists of token ids each document has: text, context, code. */
export const PLACES_PER_DOCUMENT = 3
const IN_TEXT = 1
const IN_CONTEXT = 2
const IN_CODE = 4

/** A typed array that grows by doubling, for building the store without a JS array per document. */
class Growing<T extends Uint32Array | Uint8Array> {
  private data: T
  length = 0

  constructor(private readonly make: (length: number) => T) {
    this.data = make(1024)
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }

  done(): T {
    return this.data.slice(0, this.length) as T
  }
}

/** At most this many repeats of a token in one place are told apart: a term's weight has long stopped growing. */
const MAX_REPEATS = 255

/** Collects documents' tokens; `build()` turns them into a compact, read-only TokenStore. */
export class TokenStoreBuilder {
  private readonly ids = new Map<string, number>()
  private readonly vocabulary: string[] = []
  private readonly documents: string[] = []
  private readonly tokens = new Growing((n) => new Uint32Array(n))
  private readonly offsets = new Growing((n) => new Uint32Array(n))
  private readonly repeats = new Growing((n) => new Uint8Array(n))

  private idOf(token: string): number {
    let id = this.ids.get(token)
    if (id === undefined) {
      id = this.vocabulary.length
      this.ids.set(token, id)
      this.vocabulary.push(token)
    }
    return id
  }

  /** A document's tokens per place, each as often as the place has it. */
  add(docId: string, text: readonly string[], context: readonly string[], code: readonly string[] = []): void {
    this.documents.push(docId)
    for (const list of [text, context, code]) {
      this.offsets.push(this.tokens.length)
      const counts = new Map<number, number>()
      for (const token of list) {
        const id = this.idOf(token)
        counts.set(id, (counts.get(id) ?? 0) + 1)
      }
      for (const id of Uint32Array.from(counts.keys()).sort()) {
        this.tokens.push(id)
        this.repeats.push(Math.min(counts.get(id)!, MAX_REPEATS))
      }
    }
  }

  build(): TokenStore {
    this.offsets.push(this.tokens.length)
    return new TokenStore(this.vocabulary, this.documents, this.tokens.done(), this.offsets.done(), this.repeats.done())
  }
}

function includes(sorted: Uint32Array, from: number, to: number, value: number): boolean {
  return indexIn(sorted, from, to, value) >= 0
}

/** Where `value` is in sorted[from … to), or -1. */
function indexIn(sorted: Uint32Array, from: number, to: number, value: number): number {
  let lo = from
  let hi = to - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = sorted[mid]!
    if (v === value) return mid
    if (v < value) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/**
 * Every document's tokens, compactly: one vocabulary, one array of token ids for all documents (sorted per
 * document and place) with offsets, and the inverted lists (token → documents) in the same form. At 100k
 * passages this is a few tens of megabytes where an array per document cost twice that, and Sets of strings
 * hundreds. It answers the ranking's questions: does this document have this token, where, how many
 * documents have it, and which.
 */
export class TokenStore {
  private readonly ids = new Map<string, number>()
  private readonly ordinals = new Map<string, number>()
  /** Token id → number of documents that have it. */
  private readonly frequency: Uint32Array
  /** Token id t's documents (ordinals) are postings[postingStarts[t] … postingStarts[t + 1]). */
  private readonly postingStarts: Uint32Array
  private readonly postings: Uint32Array
  /** Per posting: where the token is in that document: IN_TEXT, IN_CONTEXT, IN_CODE, or several. */
  private readonly postingPlaces: Uint8Array

  constructor(
    private readonly vocabulary: readonly string[],
    private readonly documents: readonly string[],
    private readonly tokens: Uint32Array,
    private readonly offsets: Uint32Array,
    private readonly repeats: Uint8Array,
  ) {
    if (offsets.length !== PLACES_PER_DOCUMENT * documents.length + 1 || offsets[offsets.length - 1] !== tokens.length) {
      throw new Error('token store: offsets do not match the documents and tokens')
    }
    if (repeats.length !== tokens.length) throw new Error('token store: repeats do not match the tokens')
    vocabulary.forEach((word, id) => this.ids.set(word, id))
    documents.forEach((doc, ordinal) => this.ordinals.set(doc, ordinal))
    // A token in several places of a document counts once for it.
    this.frequency = new Uint32Array(vocabulary.length)
    this.forEachPosting((id) => this.frequency[id]!++)
    this.postingStarts = new Uint32Array(vocabulary.length + 1)
    for (let id = 0; id < vocabulary.length; id++) this.postingStarts[id + 1] = this.postingStarts[id]! + this.frequency[id]!
    this.postings = new Uint32Array(this.postingStarts[vocabulary.length]!)
    this.postingPlaces = new Uint8Array(this.postings.length)
    const filled = this.postingStarts.slice(0, vocabulary.length)
    this.forEachPosting((id, ordinal, places) => {
      this.postingPlaces[filled[id]!] = places
      this.postings[filled[id]!++] = ordinal
    })
  }

  /** Each (token, document) pair once, with every place the token is in: IN_TEXT | IN_CONTEXT | IN_CODE. */
  private forEachPosting(visit: (tokenId: number, ordinal: number, places: number) => void): void {
    const { tokens, offsets } = this
    const flags = [IN_TEXT, IN_CONTEXT, IN_CODE]
    for (let ordinal = 0; ordinal < this.documents.length; ordinal++) {
      const at = PLACES_PER_DOCUMENT * ordinal
      for (let place = 0; place < PLACES_PER_DOCUMENT; place++) {
        for (let i = offsets[at + place]!, to = offsets[at + place + 1]!; i < to; i++) {
          const id = tokens[i]!
          let places = flags[place]!
          let seenBefore = false
          for (let other = 0; other < PLACES_PER_DOCUMENT; other++) {
            if (other === place || !includes(tokens, offsets[at + other]!, offsets[at + other + 1]!, id)) continue
            if (other < place) seenBefore = true
            places |= flags[other]!
          }
          if (!seenBefore) visit(id, ordinal, places)
        }
      }
    }
  }

  get documentCount(): number {
    return this.documents.length
  }

  /** In how many documents a token occurs (0 for unknown tokens). */
  documentFrequency(token: string): number {
    const id = this.ids.get(token)
    return id === undefined ? 0 : this.frequency[id]!
  }

  words(): IterableIterator<string> {
    return this.ids.keys()
  }

  /** The ids of the stored documents, in the order they were added. */
  documentIds(): readonly string[] {
    return this.documents
  }

  /** Where a document has a word: its text first, then its context, then only its code; undefined for neither known. */
  place(docId: string, token: string): TokenPlace | undefined {
    const ordinal = this.ordinals.get(docId)
    const id = this.idOf(token)
    return ordinal === undefined || id === undefined ? undefined : this.placeOf(ordinal, id)
  }

  /** `place`, for a document known by its ordinal and a word known by its number (idOf). */
  placeOf(ordinal: number, id: number): TokenPlace | undefined {
    return this.repeatsInText(ordinal, id) > 0 ? 'text' : this.placeBesideText(ordinal, id)
  }

  /** A word's number in the store's vocabulary, or undefined when no document has it. */
  idOf(token: string): number | undefined {
    return this.ids.get(token)
  }

  /**
   * How often a document's text has a word (known by its number, idOf): 0 when it has not. Ranking asks this per hit
   * and term, and then placeBesideText only for the words the text lacks: one search of the text's words each.
   */
  repeatsInText(ordinal: number, id: number): number {
    const at = PLACES_PER_DOCUMENT * ordinal
    const index = indexIn(this.tokens, this.offsets[at]!, this.offsets[at + 1]!, id)
    return index < 0 ? 0 : this.repeats[index]!
  }

  /** Where a document has a word outside its text: in its context, only in its code, or nowhere. */
  placeBesideText(ordinal: number, id: number): Exclude<TokenPlace, 'text'> | undefined {
    const at = PLACES_PER_DOCUMENT * ordinal
    const offsets = this.offsets
    if (includes(this.tokens, offsets[at + 1]!, offsets[at + 2]!, id)) return 'context'
    if (includes(this.tokens, offsets[at + 2]!, offsets[at + 3]!, id)) return 'code'
    return undefined
  }

  /** A document's place in the store (what `documentIds()` lists it at), by its id. */
  ordinal(docId: string): number | undefined {
    return this.ordinals.get(docId)
  }

  /** How many tokens a document has in its text or its context; only those in at most `maxFrequency` documents. */
  fieldLength(ordinal: number, place: FieldPlace, maxFrequency = Infinity): number {
    const at = PLACES_PER_DOCUMENT * ordinal + (place === 'text' ? 0 : 1)
    let length = 0
    for (let i = this.offsets[at]!, to = this.offsets[at + 1]!; i < to; i++) if (this.frequency[this.tokens[i]!]! <= maxFrequency) length++
    return length
  }

  /**
   * Visits each document (ordinal, ascending) that has the token in its text, or in its context; nothing for a
   * token in more than `maxFrequency` documents.
   */
  documentsWith(token: string, place: FieldPlace, visit: (ordinal: number) => void, maxFrequency = Infinity): void {
    const id = this.ids.get(token)
    if (id === undefined || this.frequency[id]! > maxFrequency) return
    const { postings, postingPlaces } = this
    const wanted = place === 'text' ? IN_TEXT : IN_CONTEXT
    for (let i = this.postingStarts[id]!, end = this.postingStarts[id + 1]!; i < end; i++) if (postingPlaces[i]! & wanted) visit(postings[i]!)
  }

  /** Visits each document (ordinal, ascending) that has the token anywhere: text, context or code. */
  documentsHaving(token: string, visit: (ordinal: number) => void): void {
    const id = this.ids.get(token)
    if (id === undefined) return
    for (let i = this.postingStarts[id]!, end = this.postingStarts[id + 1]!; i < end; i++) visit(this.postings[i]!)
  }

  /**
   * The documents with the highest total weight of the given tokens (in text or context alike), best first,
   * per group: term-at-a-time over the inverted lists, rarest tokens first, until `budget` postings have been
   * read. `groupOf` sees each document's ordinal (its place in `documentIds()`) and gives its group, below
   * `groups`, or -1 to leave it out; one pass serves every group.
   */
  topByWeight(
    weighted: readonly { token: string; weight: number }[],
    limit: number,
    budget: number,
    groups: number,
    groupOf: (ordinal: number) => number,
  ): { id: string; score: number }[][] {
    const lists = weighted
      .map(({ token, weight }) => ({ id: this.ids.get(token), weight }))
      .filter((t): t is { id: number; weight: number } => t.id !== undefined && t.weight > 0)
      .sort((a, b) => this.frequency[a.id]! - this.frequency[b.id]!)
    const table = (this.table ??= new ScoreTable(this.documents.length))
    let read = 0
    for (const { id, weight } of lists) {
      const from = this.postingStarts[id]!
      const to = this.postingStarts[id + 1]!
      if (!table.empty && read + (to - from) > budget) break
      read += to - from
      for (let i = from; i < to; i++) table.add(this.postings[i]!, weight)
    }
    // Loops, not map: a group is often empty, and map inlined over arrays of both shapes deoptimises again and again.
    const byGroup: { id: string; score: number }[][] = []
    for (const best of table.best(limit, groups, groupOf)) {
      const found: { id: string; score: number }[] = []
      for (let i = 0; i < best.length; i++) found.push({ id: this.documents[best[i]!.item]!, score: best[i]!.score })
      byGroup.push(found)
    }
    return byGroup
  }

  /** Reused by topByWeight (searches run one at a time). */
  private table: ScoreTable | undefined

  parts(): TokenStoreParts {
    return { vocabulary: this.vocabulary, documents: this.documents, tokens: this.tokens, offsets: this.offsets, repeats: this.repeats }
  }

  /**
   * A store from its parts as stored; throws, saying what is wrong and where, when they do not add up. Every
   * offset and id is checked before the store loops over them: a damaged offset would otherwise send the
   * constructor through billions of positions.
   */
  static fromParts(parts: TokenStoreParts): TokenStore {
    const { vocabulary, documents, tokens, offsets, repeats } = parts
    if (!Array.isArray(vocabulary) || !Array.isArray(documents) || !(tokens instanceof Uint32Array) || !(offsets instanceof Uint32Array) || !(repeats instanceof Uint8Array)) {
      throw new Error('token store: not a stored token store')
    }
    if (repeats.length !== tokens.length) throw new Error(`token store: ${repeats.length} repeat counts for ${tokens.length} tokens`)
    const none = repeats.indexOf(0)
    if (none >= 0) throw new Error(`token store: token [${none}] is repeated 0 times`)
    if (offsets.length !== PLACES_PER_DOCUMENT * documents.length + 1) {
      throw new Error(`token store: ${offsets.length} offsets for ${documents.length} documents (there should be ${PLACES_PER_DOCUMENT * documents.length + 1})`)
    }
    if (offsets[0] !== 0) throw new Error(`token store: offset [0] is ${offsets[0]}, not 0`)
    if (offsets[offsets.length - 1] !== tokens.length) throw new Error(`token store: the last offset is ${offsets[offsets.length - 1]}, not the ${tokens.length} tokens' end`)
    for (let i = 1; i < offsets.length; i++) {
      const from = offsets[i - 1]!
      const to = offsets[i]!
      if (to < from || to > tokens.length) throw new Error(`token store: offset [${i}] is ${to}, outside ${from}…${tokens.length}`)
      // Each document's ids are sorted and unique within its text, its context and its code: the lookups search them.
      for (let t = from; t < to; t++) {
        if (tokens[t]! >= vocabulary.length) throw new Error(`token store: a token id is outside the vocabulary (token [${t}] is ${tokens[t]}, of ${vocabulary.length} words)`)
        if (t > from && tokens[t]! <= tokens[t - 1]!) throw new Error(`token store: token [${t}] is out of order`)
      }
    }
    return new TokenStore(vocabulary, documents, tokens, offsets, repeats)
  }
}
