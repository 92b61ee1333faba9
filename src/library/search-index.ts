import { create, insertMultiple, load, save, search, type Orama, type RawData } from '@orama/orama'
import { oramaTokenizer } from './tokenizer.js'

/**
 * Orama holds only what is searched or filtered on; the passages themselves live in the library, keyed by id.
 * `context` carries the heading path and chapter title, so a passage is found by the topic it sits under.
 */
const schema = {
  id: 'string',
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

function createDb(): SearchDb {
  // The same tokenizer object at build and at restore: Orama's own would drop every Chinese character.
  return create({ schema, components: { tokenizer: oramaTokenizer } }) as SearchDb
}

export async function buildDb(docs: readonly IndexedDoc[]): Promise<SearchDb> {
  const db = createDb()
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

/** First-stage retrieval: Orama's BM25 with every query term also matched as a prefix (threshold 1 = OR). */
export function searchDb(db: SearchDb, query: string, limit: number, course?: string): Candidate[] {
  const result = search(db, {
    term: query,
    properties: ['text', 'context'],
    boost: { text: 1, context: 0.6 },
    limit,
    threshold: 1,
    ...(course ? { where: { course: { eq: course } } } : {}),
  })
  if (result instanceof Promise) throw new Error('Orama search unexpectedly returned a promise')
  return result.hits.map((hit) => ({ id: hit.document.id, score: hit.score }))
}
