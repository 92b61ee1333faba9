// The three engines the benchmark compares, behind one small interface. All use the project's tokenizer for the
// corpus (index text with `tokenizeForIndex`, queries with `tokenizeQuery`) over the same documents.
import { Document } from 'flexsearch'
import MiniSearch from 'minisearch'
import type { Chapter } from '../corpus/types.js'
import { Library, type SearchHit } from '../library/library.js'
import { Tokenizer } from '../library/tokenizer.js'
import type { BenchCorpus } from './synth.js'

export const ENGINES = ['ours', 'minisearch', 'flexsearch'] as const
export type EngineName = (typeof ENGINES)[number]

/** What /ask shows: the library's default of 3 answers. Every engine returns its top 3, so all do the same work. */
export const TOP_K = 3
/** How many suggestions autocomplete asks for (Discord shows at most 25). */
export const SUGGEST_LIMIT = 25

/** Enough of a hit to judge an eval answer (see `answers` in src/library/evaluation.ts). */
export type JudgedHit = Pick<SearchHit, 'chapter' | 'heading' | 'text'>

export interface BenchEngine {
  name: EngineName
  /** Top hits for a question, best first. */
  search(query: string): JudgedHit[]
  /**
   * Autocomplete hook: `library.suggest?.(prefix, 25)` when the library has a `suggest` method; undefined
   * otherwise, and the benchmark then reports autocomplete as null.
   */
  suggest?: (prefix: string) => unknown
  /** Our library, for persistence timing. */
  library?: Library
}

// A type alias, not an interface: FlexSearch wants an index signature.
type Doc = {
  id: string
  text: string
  context: string
}

/** The documents Library.build indexes: non-comment passages (text + heading and chapter title) and title-only chapters. */
export function indexedDocs(corpus: BenchCorpus): { docs: Doc[]; hitFor: (id: string) => JudgedHit | undefined } {
  const chapterByKey = new Map(corpus.chapters.map((c) => [c.key, c]))
  const docs: Doc[] = []
  const hits = new Map<string, JudgedHit>()
  for (const p of corpus.passages) {
    const chapter = chapterByKey.get(p.chapterKey)
    if (!chapter || p.kind === 'comment') continue
    docs.push({ id: p.id, text: p.text, context: [p.heading, chapter.title].filter(Boolean).join(' ') })
    hits.set(p.id, { chapter, heading: p.heading, text: p.text })
  }
  for (const chapter of corpus.chapters.filter((c: Chapter) => !c.hasText)) {
    const id = `title:${chapter.key}`
    docs.push({ id, text: chapter.title, context: '' })
    hits.set(id, { chapter, heading: '', text: chapter.title })
  }
  return { docs, hitFor: (id) => hits.get(id) }
}

type Suggesting = { suggest?: (prefix: string, limit: number) => unknown }

export async function buildEngine(name: EngineName, corpus: BenchCorpus): Promise<BenchEngine> {
  if (name === 'ours') {
    const library = await Library.build(corpus)
    const suggest = (library as unknown as Suggesting).suggest
    return {
      name,
      library,
      search: (query) => library.search(query, { limit: TOP_K }).hits,
      suggest: typeof suggest === 'function' ? (prefix) => suggest.call(library, prefix, SUGGEST_LIMIT) : undefined,
    }
  }
  const { docs, hitFor } = indexedDocs(corpus)
  const tokenizer = Tokenizer.forCorpus(corpus.passages)
  const tokenizeForIndex = (text: string) => tokenizer.tokenizeForIndex(text)
  const tokenizeQuery = (text: string) => tokenizer.tokenizeQuery(text)
  const judged = (ids: readonly (string | number)[]) => ids.map((id) => hitFor(String(id))).filter((h): h is JudgedHit => h !== undefined)

  if (name === 'minisearch') {
    // Whole words, as ours matches (no prefix or fuzzy expansion); OR: any query term may match, as in ours.
    const index = new MiniSearch<Doc>({
      fields: ['text', 'context'],
      tokenize: (text) => tokenizeForIndex(text),
      processTerm: (term) => term,
      searchOptions: {
        tokenize: (text) => tokenizeQuery(text),
        processTerm: (term) => term,
        prefix: false,
        fuzzy: false,
        combineWith: 'OR',
        boost: { text: 1, context: 0.6 },
      },
    })
    index.addAll(docs)
    tokenizer.releaseIndexDictionary()
    return { name, search: (query) => judged(index.search(query).slice(0, TOP_K).map((r) => r.id as string)) }
  }

  // FlexSearch has one `encode` for documents and queries; a flag switches it to the query tokenizer while searching.
  // tokenize: 'strict' indexes whole tokens only (no prefix expansion); suggest: true lets a document match some,
  // not all, of the query terms, like the OR of the other two.
  let querying = false
  const index = new Document<Doc>({
    document: { id: 'id', index: ['text', 'context'] },
    tokenize: 'strict',
    encode: (text: string) => (querying ? tokenizeQuery(text) : tokenizeForIndex(text)),
  })
  for (const doc of docs) index.add(doc)
  tokenizer.releaseIndexDictionary()
  return {
    name,
    search: (query) => {
      querying = true
      try {
        const merged = index.search(query, { limit: TOP_K, suggest: true, merge: true })
        return judged(merged.slice(0, TOP_K).map((r) => r.id))
      } finally {
        querying = false
      }
    },
  }
}
