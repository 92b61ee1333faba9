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
export type FieldTokens = (docId: string, field: 'text' | 'context') => string[]

export interface Candidate {
  id: string
  score: number
}

/** Joins the library's chosen query tokens on their way through Orama, which re-tokenizes every query. */
const QUERY_SEPARATOR = '\u0001'

/**
 * The tokenizer Orama runs: a document field's value is its document's id, whose tokens `tokensOf` gives (the
 * library's, less the words too common to be worth a posting list); a query is the library's chosen tokens.
 * Orama's own tokenizer would drop every Chinese character.
 */
function tokenizerFor(tokensOf: FieldTokens) {
  return {
    language: 'chinese-mixed',
    normalizationCache: new Map<string, string>(),
    tokenize(raw: string, _language?: string, prop?: string): string[] {
      if (prop === undefined) return raw.split(QUERY_SEPARATOR).filter(Boolean)
      if (prop !== 'text' && prop !== 'context') throw new Error(`no tokens for the field ${prop}`)
      return tokensOf(raw, prop)
    },
  }
}

type OramaIndex = Parameters<typeof oramaIndex.insertDocumentScoreParameters>[0]

/**
 * Each word's documents (internal ids, in the order they were added), in place of Orama's radix tree in text
 * fields. We look words up whole, never by prefix, so a tree of characters holding a Set of ids per word
 * (about 90 MB at 100k passages) is more than is needed.
 */
class WordPostings {
  private readonly words = new Map<string, number[]>()

  /** What Orama calls for every token of every document it indexes. */
  insert(word: string, id: number): void {
    const list = this.words.get(word)
    if (list) list.push(id)
    else this.words.set(word, [id])
  }

  documents(word: string): readonly number[] | undefined {
    return this.words.get(word)
  }
}

const defaultIndex = oramaIndex.createIndex()

/**
 * Orama's own search walks its radix tree for every word a query term is a prefix of, then merges each
 * word's documents into a list with a linear duplicate check per document: quadratic in a word's document
 * count (3 ms for one word in 2,000 documents). Prefix expansion ("kube" → every kube-* word) also cost most
 * of the time at 100k passages and found no extra right answers on our eval set. This search looks each term
 * up as a whole word in WordPostings; any term may match (threshold 1).
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
  const results = new Map<number, number>()
  for (const prop of properties) {
    const tree = index.indexes[prop]
    if (tree?.type !== 'Radix' || !(tree.node instanceof WordPostings)) continue
    const lengths = index.fieldLengths[prop]!
    const averageLength = index.avgFieldLength[prop]!
    const weight = boost[prop] ?? 1
    for (const token of tokens) {
      const ids = tree.node.documents(token)
      if (!ids || ids.length === 0) continue
      const idf = Math.log(1 + (docsCount - ids.length + 0.5) / (ids.length + 0.5))
      for (const id of ids) {
        if (whereFiltersIDs && !whereFiltersIDs.has(id)) continue
        const length = lengths[id]!
        const tf = 1 / length
        const score = (idf * (d + tf * (k + 1))) / (tf + k * (1 - b + (b * length) / averageLength))
        results.set(id, (results.get(id) ?? 0) + score * weight)
      }
    }
  }
  // Unsorted: Orama sorts the results itself before taking the page.
  return [...results]
}

const indexComponent: typeof defaultIndex = {
  ...defaultIndex,
  create(orama, sharedInternalDocumentStore, schema) {
    const created = defaultIndex.create(orama, sharedInternalDocumentStore, schema)
    for (const tree of Object.values(created.indexes)) if (tree.type === 'Radix') (tree as { node: unknown }).node = new WordPostings()
    return created
  },
  search: searchWholeWords,
  // Only what searchWholeWords reads: field lengths and their average, no per-document frequency table.
  insertDocumentScoreParameters(index: OramaIndex, prop, id, tokens, docsCount) {
    index.avgFieldLength[prop] = ((index.avgFieldLength[prop] ?? 0) * (docsCount - 1) + tokens.length) / docsCount
    index.fieldLengths[prop]![internalDocumentIDStore.getInternalDocumentId(index.sharedInternalDocumentStore, id)] = tokens.length
  },
  insertTokenScoreParameters() {},
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
