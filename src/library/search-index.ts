import { create, insertMultiple, search, type Orama } from '@orama/orama'
import { documentsStore as oramaDocumentsStore, index as oramaIndex } from '@orama/orama/components'
import { ScoreTable } from './bounded-best.js'
import type { FieldPlace } from './token-store.js'

/**
 * Orama holds only what is searched or filtered on; the passages themselves live in the library, keyed by id.
 * A document's `text` and `context` fields carry its id. Their words are not copied into Orama: its index
 * component reads them from the library's token store (`FieldPostings`), which already has each word's
 * documents. `context` stands for the heading path and chapter title, so a passage is found by the topic it
 * sits under.
 */
const schema = {
  text: 'string',
  context: 'string',
  course: 'enum',
} as const

export type SearchDb = Orama<typeof schema>

export interface IndexedDoc {
  id: string
  course: string
}

/**
 * The words of every document's fields, as Orama's text fields read them. Documents are known by their ordinal
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

/** Joins the library's chosen query tokens on their way through Orama, which re-tokenizes every query. */
const QUERY_SEPARATOR = '\u0001'

/**
 * The tokenizer Orama runs on queries: a query is the library's chosen tokens. Documents never pass through it
 * (see `insert` below); Orama's own tokenizer would drop every Chinese character.
 */
const queryTokenizer = {
  language: 'chinese-mixed',
  normalizationCache: new Map<string, string>(),
  tokenize(raw: string, _language?: string, prop?: string): string[] {
    if (prop !== undefined) throw new Error(`documents arrive tokenized: nothing should tokenize the field ${prop}`)
    return raw.split(QUERY_SEPARATOR).filter(Boolean)
  },
}

type OramaIndex = Parameters<typeof oramaIndex.insertDocumentScoreParameters>[0]

/**
 * What a text field holds in place of Orama's radix tree: the way from the postings' documents (ordinals) to
 * this db's internal ids, shared by the db's two text fields. We look words up whole, never by prefix, and the
 * token store already lists each word's documents, so a tree of characters with a Set of ids per word (about
 * 90 MB at 100k passages), or even lists of our own (40 MB), is more than is needed.
 */
class StoreBackedField {
  /** Reused by every search (they run one at a time): scores per internal id, and one word's documents here. */
  readonly scores: ScoreTable
  readonly matched: Int32Array

  constructor(
    readonly postings: FieldPostings,
    /** Ordinal → this db's internal id; 0 for a document that is not in this db. */
    readonly internalIds: Int32Array,
    /** How many results a search returns at most: the best, in Orama's order. */
    readonly resultLimit: number,
  ) {
    this.scores = new ScoreTable(internalIds.length + 1)
    this.matched = new Int32Array(internalIds.length + 1)
  }
}

const defaultIndex = oramaIndex.createIndex()

/**
 * Orama's own search walks its radix tree for every word a query term is a prefix of, then merges each
 * word's documents into a list with a linear duplicate check per document: quadratic in a word's document
 * count (3 ms for one word in 2,000 documents). Prefix expansion ("kube" → every kube-* word) also cost most
 * of the time at 100k passages and found no extra right answers on our eval set. This search looks each term
 * up as a whole word in the postings; any term may match (threshold 1).
 *
 * Scores are Orama's BM25 with its relevance parameters. Orama reads a token's frequency in a document from
 * a per-document table; our token lists have no duplicates, so it is always 1 / the field's length, and the
 * tables (140 MB at 100k passages, the largest part of the index) are not kept.
 */
const searchWholeWords: typeof defaultIndex.search = (store, term, tokenizer, language, properties, _exact, _tolerance, boosts, relevance, docsCount, whereFiltersIDs) => {
  const index = store as OramaIndex
  const boost = boosts as Record<string, number>
  const { k, b, d } = relevance
  const tokens = tokenizer.tokenize(term, language) as string[]
  let shared: StoreBackedField | undefined
  for (const prop of properties) {
    const field = index.indexes[prop]?.node
    if (!(field instanceof StoreBackedField)) continue
    shared = field
    const { scores, matched, internalIds } = field
    const lengths = index.fieldLengths[prop]!
    const averageLength = index.avgFieldLength[prop]!
    const weight = boost[prop] ?? 1
    for (const token of tokens) {
      let matchedCount = 0
      field.postings.documentsWith(token, prop as FieldPlace, (ordinal) => {
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
  if (!shared) return []
  // Only the best `resultLimit`, in the order Orama's sort would give them: it sorts all it is given, and only
  // the first page is read.
  return shared.scores.best(shared.resultLimit)[0]!.map(({ item, score }) => [item, score] as [number, number])
}

/** Orama's index component, with text fields that read their words from `postings`. */
function indexComponentFor(postings: FieldPostings, resultLimit: number): typeof defaultIndex {
  return {
    ...defaultIndex,
    create(orama, sharedInternalDocumentStore, schema) {
      const created = defaultIndex.create(orama, sharedInternalDocumentStore, schema)
      // One object for both text fields: they share the db's internal ids, and a search's scores.
      const field = new StoreBackedField(postings, new Int32Array(postings.documentCount), resultLimit)
      for (const tree of Object.values(created.indexes)) if (tree.type === 'Radix') (tree as { node: unknown }).node = field
      return created
    },
    // A text field records only where its document is and its length (what searchWholeWords reads); the enum
    // field is Orama's own.
    insert(implementation, indexStore, prop, id, internalId, value, schemaType, language, tokenizer, docsCount, options) {
      const index = indexStore as OramaIndex
      const field = index.indexes[prop]?.node
      if (!(field instanceof StoreBackedField)) {
        return defaultIndex.insert(implementation, indexStore, prop, id, internalId, value, schemaType, language, tokenizer, docsCount, options)
      }
      const ordinal = postings.ordinal(String(value))
      if (ordinal === undefined) throw new Error(`the document ${String(value)} has no tokens to index`)
      const internal = internalId as number
      field.internalIds[ordinal] = internal
      const length = postings.fieldLength(ordinal, prop as FieldPlace)
      index.avgFieldLength[prop] = ((index.avgFieldLength[prop] ?? 0) * (docsCount - 1) + length) / docsCount
      index.fieldLengths[prop]![internal] = length
    },
    search: searchWholeWords,
  }
}

const INSERT_BATCH = 1000

const defaultDocumentsStore = oramaDocumentsStore.createDocumentsStore()

/**
 * Orama keeps every document it indexes, to hand back with its hits. Ours are only ids, which a hit carries
 * anyway, so only their count (BM25's document count) is kept: 100k objects less at 100k passages.
 */
const countingDocumentsStore: typeof defaultDocumentsStore = {
  ...defaultDocumentsStore,
  store(store) {
    store.count++
    return true
  },
  get: () => undefined,
  getMultiple: (_store, ids) => ids.map(() => undefined),
}

/** Index documents, whose fields' words `postings` holds; a search will return at most `resultLimit` hits. */
export async function buildDb(docs: Iterable<IndexedDoc>, postings: FieldPostings, resultLimit: number): Promise<SearchDb> {
  // Nothing is sorted by a field (results come ranked), so Orama's per-field sort index is not built.
  const db = create({ schema, sort: { enabled: false }, components: { tokenizer: queryTokenizer, index: indexComponentFor(postings, resultLimit), documentsStore: countingDocumentsStore } }) as SearchDb
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

/** The text fields' shared state of a db built by buildDb. */
function fieldOf(db: SearchDb): StoreBackedField {
  return (db.data.index as unknown as OramaIndex).indexes.text!.node as unknown as StoreBackedField
}

/** First-stage retrieval: Orama's BM25 over exactly these tokens (threshold 1 = any of them may match). */
export function searchDb(db: SearchDb, tokens: readonly string[], limit: number, course?: string): Candidate[] {
  const { resultLimit } = fieldOf(db)
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
