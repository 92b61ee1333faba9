import { create, insertMultiple, search, type Orama } from '@orama/orama'
import { index as oramaIndex, internalDocumentIDStore } from '@orama/orama/components'

/**
 * Orama holds only what is searched or filtered on; the passages themselves live in the library, keyed by id.
 * A document's `text` and `context` fields carry its id, which the tokenizer looks up in the library's token
 * store: documents arrive tokenized, and Orama keeps no copy of any text. `context` stands for the heading path
 * and chapter title, so a passage is found by the topic it sits under.
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

/** The tokens of one field of a document, by the document's id. */
export type FieldTokens = (docId: string, field: 'text' | 'context') => readonly string[]

export interface Candidate {
  id: string
  score: number
}

/** Joins the library's chosen query tokens on their way through Orama, which re-tokenizes every query. */
const QUERY_SEPARATOR = '\u0001'
/**
 * Ends every indexed and queried token. Orama matches each query term as a prefix of indexed words; with a
 * terminator the only word a term is a prefix of is itself. Prefix expansion cost most of the search time
 * at 100k passages ("kube" expanding to every kube-* word) and added no right answers on our eval set.
 */
const END = '\u0002'

/**
 * The tokenizer Orama runs: a document field's value is its document's id, whose tokens `tokensOf` gives (the
 * library's, less the words too common to be worth a posting list); a query is the library's chosen tokens.
 * Orama's own tokenizer would drop every Chinese character.
 */
function tokenizerFor(tokensOf: FieldTokens) {
  // One terminated string per word, not one per word per document: millions of them at 100k passages.
  const terminated = new Map<string, string>()
  const terminate = (token: string) => {
    let word = terminated.get(token)
    if (word === undefined) terminated.set(token, (word = token + END))
    return word
  }
  return {
    language: 'chinese-mixed',
    normalizationCache: new Map<string, string>(),
    tokenize(raw: string, _language?: string, prop?: string): string[] {
      if (prop === undefined) return raw.split(QUERY_SEPARATOR).filter(Boolean).map((t) => t + END)
      if (prop !== 'text' && prop !== 'context') throw new Error(`no tokens for the field ${prop}`)
      return tokensOf(raw, prop).map(terminate)
    },
  }
}

/**
 * Orama's BM25 keeps, for every document, a table of each of its tokens' frequency in a field. Our token
 * lists have no duplicates, so every token of a field has the same frequency, 1 / the field's length: one
 * shared read-only table per length serves every document. At 100k passages the per-document tables were
 * 140 MB, the largest part of the index.
 */
const frequencyTables = new Map<number, Record<string, number>>()

function frequencyTable(length: number): Record<string, number> {
  let table = frequencyTables.get(length)
  if (!table) {
    const frequency = 1 / length
    frequencyTables.set(length, (table = new Proxy({}, { get: () => frequency })))
  }
  return table
}

type OramaIndex = Parameters<typeof oramaIndex.insertDocumentScoreParameters>[0]

const defaultIndex = oramaIndex.createIndex()
const indexComponent: typeof defaultIndex = {
  ...defaultIndex,
  insertDocumentScoreParameters(index: OramaIndex, prop, id, tokens, docsCount) {
    defaultIndex.insertDocumentScoreParameters(index, prop, id, tokens, docsCount)
    index.frequencies[prop]![internalDocumentIDStore.getInternalDocumentId(index.sharedInternalDocumentStore, id)] = frequencyTable(tokens.length)
  },
  insertTokenScoreParameters(index: OramaIndex, prop, _id, _tokens, token) {
    index.tokenOccurrences[prop]![token] = (index.tokenOccurrences[prop]![token] ?? 0) + 1
  },
}

/** Index documents; each field's tokens come from `tokensOf`. */
export async function buildDb(docs: readonly IndexedDoc[], tokensOf: FieldTokens): Promise<SearchDb> {
  // Nothing is sorted by a field (results come ranked), so Orama's per-field sort index is not built.
  const db = create({ schema, sort: { enabled: false }, components: { tokenizer: tokenizerFor(tokensOf), index: indexComponent } }) as SearchDb
  if (docs.length > 0) await insertMultiple(db, docs.map((d) => ({ id: d.id, text: d.id, context: d.id, course: d.course })), 1000)
  return db
}

/** First-stage retrieval: Orama's BM25 over exactly these tokens (threshold 1 = any of them may match). */
export function searchDb(db: SearchDb, tokens: readonly string[], limit: number, course?: string): Candidate[] {
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
  return result.hits.map((hit) => ({ id: String((hit.document as unknown as IndexedDoc).id), score: hit.score }))
}
