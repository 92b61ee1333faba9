import { create, insertMultiple, load, save, search, type Orama, type RawData } from '@orama/orama'

/**
 * Orama holds only what is searched or filtered on; the passages themselves live in the library, keyed by id
 * (`id` is read from each document but, being outside the schema, not indexed). `context` carries the heading
 * path and chapter title, so a passage is found by the topic it sits under.
 */
const schema = {
  text: 'string',
  context: 'string',
  course: 'enum',
} as const

export type SearchDb = Orama<typeof schema>

export interface IndexedDoc {
  id: string
  text: string
  context: string
  course: string
}

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
 * The tokenizer Orama runs. Documents arrive already tokenized (by the library, which also prunes words too
 * common to be worth a posting list), so nothing is segmented twice; queries arrive as the library's chosen
 * tokens. The same component is used at build and at restore: Orama's own would drop every Chinese character.
 */
function tokenizerFor(tokensOf?: (text: string) => readonly string[]) {
  return {
    language: 'chinese-mixed',
    normalizationCache: new Map<string, string>(),
    tokenize(raw: string, _language?: string, prop?: string): string[] {
      if (prop === undefined) return raw.split(QUERY_SEPARATOR).filter(Boolean).map((t) => t + END)
      if (!tokensOf) throw new Error('this index is read-only: documents are added only when it is built')
      return tokensOf(raw).map((t) => t + END)
    },
  }
}

function createDb(tokensOf?: (text: string) => readonly string[]): SearchDb {
  return create({ schema, components: { tokenizer: tokenizerFor(tokensOf) } }) as SearchDb
}

/** Index documents whose texts `tokensOf` tokenizes (it sees each `text` and `context` value). */
export async function buildDb(docs: readonly IndexedDoc[], tokensOf: (text: string) => readonly string[]): Promise<SearchDb> {
  const db = createDb(tokensOf)
  if (docs.length > 0) await insertMultiple(db, docs as IndexedDoc[], 1000)
  return db
}

export function saveDb(db: SearchDb): RawData {
  return save(db)
}

export function restoreDb(raw: RawData): SearchDb {
  const db = createDb()
  load(db, raw)
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
