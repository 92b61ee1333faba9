import { create, insertMultiple, search, type AnyIndexStore, type IIndex, type SearchableType } from '@orama/orama'
import { ScoreTable } from './bounded-best.js'
import type { FieldPlace } from './token-store.js'

/**
 * Orama holds only what is searched or filtered on; the passages themselves live in the library, keyed by id.
 * A document's `text` and `context` fields carry its id. Their words are not copied into Orama: our index
 * component reads them from the library's token store (`FieldPostings`), which already has each word's
 * documents. `context` stands for the heading path and chapter title, so a passage is found by the topic it
 * sits under.
 */
const schema = {
  text: 'string',
  context: 'string',
  course: 'enum',
} as const

const SEARCHABLE: Record<keyof typeof schema, SearchableType> = { ...schema }
const TEXT_FIELDS: readonly FieldPlace[] = ['text', 'context']

export type SearchDb = ReturnType<typeof createDb>

export interface IndexedDoc {
  id: string
  course: string
}

/**
 * The words of every document's fields, as our index component reads them. Documents are known by their ordinal
 * (their place in the postings); a db indexes some of them.
 */
export interface FieldPostings {
  readonly documentCount: number
  ordinal(docId: string): number | undefined
  /** How many indexed words a document's field has: its length for BM25. */
  fieldLength(ordinal: number, field: FieldPlace): number
  /** Visits each document whose field has this word, in ordinal order. */
  documentsWith(word: string, field: FieldPlace, visit: (ordinal: number) => void): void
}

export interface Candidate {
  id: string
  score: number
}

/** Joins the library's chosen query tokens on their way through Orama, which hands the term to the tokenizer. */
const QUERY_SEPARATOR = '\u0001'

/**
 * The tokenizer Orama runs on queries: a query is the library's chosen tokens. Documents never pass through it
 * (our index component reads their words from the token store); Orama's own tokenizer would drop every Chinese
 * character.
 */
const queryTokenizer = {
  language: 'chinese-mixed',
  normalizationCache: new Map<string, string>(),
  tokenize(raw: string, _language?: string, prop?: string): string[] {
    if (prop !== undefined) throw new Error(`documents arrive tokenized: nothing should tokenize the field ${prop}`)
    return raw.split(QUERY_SEPARATOR).filter(Boolean)
  },
}

/**
 * Our index component's store, one per db. Orama's own index keeps a radix tree per text field, with a Set of
 * documents per word and a table of every document's token frequencies; we look words up whole, never by prefix,
 * the token store already lists each word's documents, and our token lists have no duplicates (a frequency is
 * always 1 / the field's length). So this keeps only the way from the postings' ordinals to Orama's internal ids,
 * each field's lengths, and the course of each document for `where` filters.
 */
interface TokenStoreIndex extends AnyIndexStore {
  readonly postings: FieldPostings
  /** Ordinal → this db's internal id; 0 for a document that is not in this db. */
  readonly internalIds: Int32Array
  /** Per field, per internal id: its length; and the running average length. */
  readonly lengths: Record<FieldPlace, number[]>
  readonly averageLength: Record<FieldPlace, number>
  readonly courses: Map<string, Set<number>>
  /** Reused by every search (they run one at a time): scores per internal id, and one word's documents here. */
  readonly scores: ScoreTable
  readonly matched: Int32Array
  /** How many results a search returns at most: the best, in Orama's order. */
  readonly resultLimit: number
}

const unsupported = (what: string) => () => {
  throw new Error(`the token-store index does not ${what}`)
}

/**
 * An Orama index component (`components.index`, Orama's documented way to replace how a db indexes and
 * searches) over the token store. Orama's default component cannot serve here: its search matches every query
 * word as a prefix and merges each word's documents with a duplicate check that is quadratic in their number
 * (3 ms for one word in 2,000 documents), and its per-document frequency tables cost 140 MB at 100k passages.
 * Scores are BM25 with the relevance parameters Orama passes; any query word may match (threshold 1).
 */
function tokenStoreIndex(postings: FieldPostings, resultLimit: number): IIndex<TokenStoreIndex> {
  return {
    create: () => ({
      vectorIndexes: {},
      postings,
      internalIds: new Int32Array(postings.documentCount),
      lengths: { text: [], context: [] },
      averageLength: { text: 0, context: 0 },
      courses: new Map(),
      scores: new ScoreTable(postings.documentCount + 1),
      matched: new Int32Array(postings.documentCount + 1),
      resultLimit,
    }),
    insert(_implementation, index, prop, _id, internalId, value, _schemaType, _language, _tokenizer, docsCount) {
      const internal = internalId as number
      if (prop === 'course') {
        const members = index.courses.get(String(value)) ?? new Set<number>()
        members.add(internal)
        index.courses.set(String(value), members)
        return
      }
      const field = prop as FieldPlace
      const ordinal = postings.ordinal(String(value))
      if (ordinal === undefined) throw new Error(`the document ${String(value)} has no tokens to index`)
      index.internalIds[ordinal] = internal
      const length = postings.fieldLength(ordinal, field)
      index.lengths[field][internal] = length
      index.averageLength[field] = (index.averageLength[field] * (docsCount - 1) + length) / docsCount
    },
    remove: unsupported('remove documents (a library is rebuilt, never edited)'),
    insertDocumentScoreParameters: () => {},
    insertTokenScoreParameters: () => {},
    removeDocumentScoreParameters: unsupported('remove documents'),
    removeTokenScoreParameters: unsupported('remove documents'),
    calculateResultScores: unsupported('score through Orama (its search does)'),
    search(store, term, tokenizer, language, properties, _exact, _tolerance, boosts, relevance, docsCount, whereFiltersIDs) {
      const index = store as TokenStoreIndex
      const boost = boosts as Record<string, number>
      const { k, b, d } = relevance
      const { scores, matched, internalIds } = index
      const tokens = tokenizer.tokenize(term, language) as string[]
      for (const prop of properties) {
        if (!TEXT_FIELDS.includes(prop as FieldPlace)) continue
        const field = prop as FieldPlace
        const lengths = index.lengths[field]
        const averageLength = index.averageLength[field]
        const weight = boost[prop] ?? 1
        for (const token of tokens) {
          let matchedCount = 0
          postings.documentsWith(token, field, (ordinal) => {
            const id = internalIds[ordinal]!
            if (id > 0) matched[matchedCount++] = id
          })
          if (matchedCount === 0) continue
          const idf = Math.log(1 + (docsCount - matchedCount + 0.5) / (matchedCount + 0.5))
          for (let i = 0; i < matchedCount; i++) {
            const id = matched[i]!
            if (whereFiltersIDs && !whereFiltersIDs.has(id)) continue
            const length = lengths[id]!
            const tf = 1 / length
            scores.add(id, ((idf * (d + tf * (k + 1))) / (tf + k * (1 - b + (b * length) / averageLength))) * weight)
          }
        }
      }
      // Only the best `resultLimit`, in the order Orama's sort would give them: it sorts all it is given, and only
      // the first page is read.
      return scores.best(index.resultLimit)[0]!.map(({ item, score }) => [item, score] as [number, number])
    },
    searchByWhereClause(store, _tokenizer, filters) {
      const index = store as TokenStoreIndex
      const course = (filters as { course?: { eq?: unknown } }).course?.eq
      if (typeof course !== 'string' || Object.keys(filters).length !== 1) throw new Error('the token-store index filters only on course: { eq }')
      return new Set(index.courses.get(course) ?? [])
    },
    getSearchableProperties: () => Object.keys(SEARCHABLE),
    getSearchablePropertiesWithTypes: () => SEARCHABLE,
    load: unsupported('load a saved Orama index (the library rebuilds it from the token store)'),
    save: unsupported('save (the token store is what is saved)'),
  }
}

const INSERT_BATCH = 1000

function createDb(postings: FieldPostings, resultLimit: number) {
  // Nothing is sorted by a field (results come ranked), so Orama's per-field sort index is not built.
  return create({ schema, sort: { enabled: false }, components: { tokenizer: queryTokenizer, index: tokenStoreIndex(postings, resultLimit), documentsStore: countingDocumentsStore() } })
}

/** Index documents, whose fields' words `postings` holds; a search will return at most `resultLimit` hits. */
export async function buildDb(docs: Iterable<IndexedDoc>, postings: FieldPostings, resultLimit: number): Promise<SearchDb> {
  const db = createDb(postings, resultLimit)
  resultLimits.set(db, resultLimit)
  // A batch at a time: at 100k passages, Orama's documents for all of them at once would outlive the young
  // generation and end up as garbage in the old one.
  let batch: { id: string; text: string; context: string; course: string }[] = []
  for (const doc of docs) {
    batch.push({ id: doc.id, text: doc.id, context: doc.id, course: doc.course })
    if (batch.length === INSERT_BATCH) {
      await insertMultiple(db, batch, INSERT_BATCH)
      batch = []
    }
  }
  if (batch.length > 0) await insertMultiple(db, batch, INSERT_BATCH)
  return db
}

/**
 * Orama's documents store keeps every document it indexes, to hand back with its hits. Ours are only ids, which a
 * hit carries anyway, so this store (a documents-store component of our own) keeps only their count, BM25's
 * document count: 100k objects less at 100k passages.
 */
function countingDocumentsStore() {
  return {
    create: () => ({ docs: {}, count: 0 }),
    get: () => undefined,
    getMultiple: (_store: unknown, ids: unknown[]) => ids.map(() => undefined),
    getAll: () => ({}),
    store(store: { count: number }) {
      store.count++
      return true
    },
    remove: unsupported('remove documents'),
    count: (store: { count: number }) => store.count,
    load: unsupported('load a saved Orama index'),
    save: unsupported('save'),
  }
}

/** Each db's result limit, to refuse a search asking for more than its index keeps. */
const resultLimits = new WeakMap<SearchDb, number>()

/** First-stage retrieval: Orama's search over exactly these tokens (threshold 1 = any of them may match). */
export function searchDb(db: SearchDb, tokens: readonly string[], limit: number, course?: string): Candidate[] {
  const resultLimit = resultLimits.get(db) ?? 0
  if (limit > resultLimit) throw new Error(`searchDb: a limit of ${limit} is above the ${resultLimit} this index was built for`)
  if (tokens.length === 0) return []
  const result = search(db, {
    term: tokens.join(QUERY_SEPARATOR),
    properties: ['text', 'context'],
    boost: { text: 1, context: 0.6 },
    limit,
    threshold: 1,
    ...(course ? { where: { course: { eq: course } } } : {}),
  })
  if (result instanceof Promise) throw new Error('Orama search unexpectedly returned a promise')
  return result.hits.map((hit) => ({ id: hit.id, score: hit.score }))
}
