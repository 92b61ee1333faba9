import type { Corpus } from '../corpus/load-corpus.js'
import { tocChapterKey, type Chapter, type CodeSample, type Passage, type PassageKind, type TocEntry } from '../corpus/types.js'
import { matchKey, normalize } from '../text/normalize.js'
import { buildDb, searchDb, type Candidate, type FieldPostings, type IndexedDoc, type SearchDb } from './search-index.js'
import { cutWords, isStopWord, queryPhrases, tokenize, tokenizeQuery } from './tokenizer.js'
import { SpellingCorrector } from './spelling.js'
import { Suggester } from './suggest.js'
import { TokenStore, TokenStoreBuilder } from './token-store.js'
import { summarize } from './summary.js'
import { generalRarity } from './general-rarity.js'
import { CHAPTER_TOPICS } from './chapter-topics.js'
import { WEIGHTS } from './ranking-weights.js'

export interface SearchOptions {
  limit?: number
  offset?: number
  /** Only this course. */
  course?: string
  /** Reader comments are not course content; they are searched only when asked for. */
  includeComments?: boolean
}

export interface SearchHit {
  rank: number
  score: number
  kind: PassageKind
  chapter: Chapter
  /** The passage id, or `title:<chapter key>` for a chapter known only by its title. */
  id: string
  heading: string
  text: string
  /** The code that goes with the passage's text, if any. */
  code?: CodeSample[]
  /** Query terms found in this hit, for highlighting. */
  terms: string[]
}

export interface SearchResult {
  query: string
  terms: string[]
  /** How many hits exist in all, for paging. */
  total: number
  hits: SearchHit[]
}

/** A question term and how telling it is in one token store. */
type Weighted = { token: string; weight: number }

/** A chapter title as lookup and ranking use it. */
type ChapterTitle = {
  /** Its tokens ("13 为什么我们需要Pod？" → 13, 为什么, 需要, pod). */
  tokens: ReadonlySet<string>
  /** It as a question subject: "为什么需要pod". */
  subject: string
}

/** A hit while it is ranked: `order` is when it was found, which settles ties. */
type ScoredHit = Omit<SearchHit, 'rank'> & { order: number }

export interface LibraryStats {
  chapters: number
  chaptersWithText: number
  passages: number
  comments: number
  perCourse: { course: string; chapters: number; chaptersWithText: number; passages: number }[]
}

/** The parsed corpus a library answers from. */
export type LibraryCorpus = Pick<Corpus, 'toc' | 'chapters' | 'passages'>

/**
 * What is persisted: the parsed corpus and every document's tokens, so a restart segments no text. Orama's
 * indexes are rebuilt from the tokens: that is faster than parsing them back, and much smaller.
 */
export interface StoredLibrary extends LibraryCorpus {
  tokens: TokenStore
  /** Reader comments' tokens, apart, so that comments do not change how rare a word is in the course text. */
  commentTokens: TokenStore
}

/** How many first-stage candidates each index gives the rescoring stage. */
const CANDIDATES = 60
/**
 * Words in more documents than this are left out of Orama's index (they stay in the token store, so they
 * still count when candidates are rescored). Orama's cost per query word grows with the square of its
 * document count, and such words ("容器", "kubernetes" in a large corpus) tell little about a question.
 */
const MAX_INDEXED_DF = 2000
/**
 * The first stage scores at most about this many documents: it searches with the rarest question terms
 * only, and the rescoring stage then weighs every term.
 */
const FIRST_STAGE_POSTINGS = 6000

/**
 * The first stage's second way (see `candidates`) reads at most about this many postings, rarest words
 * first: a few milliseconds at 100k passages.
 */
const COVERAGE_POSTINGS = 60_000

/** BM25's usual k1 and b for chapterScores, where a term's frequency is how many of a chapter's passages have it. */
const CHAPTER_K1 = 1.2
const CHAPTER_B = 0.75

/** The groups of a token store's documents in the first stage. */
const PASSAGES = 0
const TITLES = 1

const TITLE_PREFIX = 'title:'

function titleDocId(chapterKey: string): string {
  return `${TITLE_PREFIX}${chapterKey}`
}

/** The course library: the TOC, chapters and passages, searchable with Chinese and English questions. */
export class Library {
  readonly toc: readonly TocEntry[]
  readonly chapters: readonly Chapter[]
  readonly passages: readonly Passage[]
  private readonly chapterByKey: Map<string, Chapter>
  private readonly passageById: Map<string, Passage>
  private readonly passagesByChapter = new Map<string, Passage[]>()
  private readonly spelling: SpellingCorrector
  private readonly rarity: Map<string, number>
  private readonly titles: Map<string, ChapterTitle>
  private readonly suggester: Suggester
  private readonly chapterIndexByKey: Map<string, number>
  private readonly tocKeys: Set<string>
  private readonly searchListeners: ((ms: number) => void)[] = []
  private readonly courseIds: Map<string, number>
  /** Orama's indexes, built by `assemble` from the token stores right after construction. */
  private dbs!: { passages: SearchDb; titles: SearchDb; comments: SearchDb }
  /** Per token store, per document ordinal: whether it is a title-only chapter, and its course's number. */
  private readonly documentKinds = new Map<TokenStore, { title: Uint8Array; course: Uint16Array; chapter: Int32Array }>()
  /** Per chapter: how many documents it has in the store (its length for chapterScores). */
  private readonly chapterLengths = new Map<TokenStore, { lengths: Uint32Array; average: number; chapters: number }>()

  private constructor(
    corpus: LibraryCorpus,
    private readonly tokens: TokenStore,
    private readonly commentTokens: TokenStore,
  ) {
    this.toc = corpus.toc
    this.chapters = corpus.chapters
    this.passages = corpus.passages
    this.chapterByKey = new Map(corpus.chapters.map((c) => [c.key, c]))
    this.chapterIndexByKey = new Map(corpus.chapters.map((c, i) => [c.key, i]))
    this.tocKeys = new Set(corpus.toc.map(tocChapterKey))
    this.passageById = new Map(corpus.passages.map((p) => [p.id, p]))
    for (const p of corpus.passages) {
      const list = this.passagesByChapter.get(p.chapterKey) ?? []
      list.push(p)
      this.passagesByChapter.set(p.chapterKey, list)
    }
    this.courseIds = new Map(this.courses().map((c, i) => [c, i]))
    for (const store of [tokens, commentTokens]) {
      const ids = store.documentIds()
      const kinds = { title: new Uint8Array(ids.length), course: new Uint16Array(ids.length), chapter: new Int32Array(ids.length) }
      const lengths = new Uint32Array(corpus.chapters.length)
      ids.forEach((id, ordinal) => {
        const described = this.describe(id)
        kinds.title[ordinal] = described?.kind === 'title' ? 1 : 0
        kinds.course[ordinal] = (described && this.courseIds.get(described.chapter.course)) ?? 0xffff
        const chapter = (described && this.chapterIndexByKey.get(described.chapter.key)) ?? -1
        kinds.chapter[ordinal] = chapter
        if (chapter >= 0) lengths[chapter]!++
      })
      const chapters = lengths.filter((n) => n > 0).length
      this.chapterLengths.set(store, { lengths, chapters, average: chapters > 0 ? ids.length / chapters : 1 })
      this.documentKinds.set(store, kinds)
    }
    this.rarity = generalRarity([...tokens.words(), ...commentTokens.words()])
    // Up front, not on a chapter's first question: that first question would otherwise pay for segmenting titles.
    this.titles = new Map(
      corpus.chapters.map((c) => {
        const tokens = tokenize(c.title)
        return [c.key, { tokens: new Set(tokens), subject: subjectKey(c.title) }]
      }),
    )
    this.spelling = new SpellingCorrector(tokens.words(), [...corpus.chapters.map((c) => c.title), ...new Set(corpus.passages.map((p) => p.heading))])
    this.suggester = new Suggester(
      corpus.chapters.map((c) => c.title),
      [...new Set(corpus.passages.filter((p) => p.kind !== 'comment').map((p) => p.heading).filter(Boolean))],
    )
  }

  /** Index a parsed corpus: tokenize every text once, into the token stores that Orama's indexes are built from. */
  static async build(corpus: LibraryCorpus): Promise<Library> {
    const chapterByKey = new Map(corpus.chapters.map((c) => [c.key, c]))
    const store = new TokenStoreBuilder()
    const comments = new TokenStoreBuilder()
    const contextTokens = new Map<string, string[]>() // a chapter's passages share their heading and chapter title
    const contextOf = (context: string) => {
      let tokens = contextTokens.get(context)
      if (!tokens) contextTokens.set(context, (tokens = tokenize(context)))
      return tokens
    }
    for (const p of corpus.passages) {
      const chapter = chapterByKey.get(p.chapterKey)
      if (!chapter) continue
      // A comment's heading is its author's name: not a topic, so it is not searched.
      if (p.kind === 'comment') comments.add(p.id, tokenize(p.text), [])
      else store.add(p.id, tokenize(p.text), contextOf([p.heading, chapter.title].filter(Boolean).join(' ')), p.code ? tokenize(p.code.map((c) => c.text).join('\n')) : [])
    }
    // Chapters with local text are answered by their passages; the others by their title alone.
    // What such a chapter teaches, where known, is its context (see CHAPTER_TOPICS).
    for (const c of corpus.chapters) if (!c.hasText) store.add(titleDocId(c.key), tokenize(c.title), tokenize((CHAPTER_TOPICS[c.title] ?? []).join(' ')))
    return Library.assemble(corpus, store.build(), comments.build())
  }

  /** A library from a stored one: no text is tokenized again, and Orama's indexes are rebuilt from the token stores. */
  static async restore(stored: StoredLibrary): Promise<Library> {
    return Library.assemble(stored, stored.tokens, stored.commentTokens)
  }

  /**
   * Orama's indexes over the token stores: paragraphs, title-only chapters and comments apart. Orama gets each
   * document's tokens less the words too common to be worth a posting list (see MAX_INDEXED_DF).
   */
  private static async assemble(corpus: LibraryCorpus, tokens: TokenStore, commentTokens: TokenStore): Promise<Library> {
    const library = new Library(corpus, tokens, commentTokens)
    const courses = library.courses()
    function* docsOf(store: TokenStore, titles: boolean): Generator<IndexedDoc> {
      const kinds = library.documentKinds.get(store)!
      const ids = store.documentIds()
      for (let o = 0; o < ids.length; o++) if (kinds.title[o] === (titles ? 1 : 0)) yield { id: ids[o]!, course: courses[kinds.course[o]!] ?? '' }
    }
    const indexed = (store: TokenStore): FieldPostings => ({
      documentCount: store.documentCount,
      ordinal: (id) => store.ordinal(id),
      fieldLength: (ordinal, field) => store.fieldLength(ordinal, field, MAX_INDEXED_DF),
      documentsWith: (word, field, visit) => store.documentsWith(word, field, visit, MAX_INDEXED_DF),
    })
    const [passages, titles, comments] = await Promise.all([
      buildDb(docsOf(tokens, false), indexed(tokens), CANDIDATES),
      buildDb(docsOf(tokens, true), indexed(tokens), CANDIDATES),
      buildDb(docsOf(commentTokens, false), indexed(commentTokens), CANDIDATES),
    ])
    library.dbs = { passages, titles, comments }
    return library
  }

  /** What `restore` takes back: see index-file.ts for how it is written. */
  stored(): StoredLibrary {
    return { toc: [...this.toc], chapters: [...this.chapters], passages: [...this.passages], tokens: this.tokens, commentTokens: this.commentTokens }
  }

  courses(): string[] {
    return [...new Set(this.chapters.map((c) => c.course))]
  }

  /** A course by its exact name, or by a normalised substring of it ("深入剖析", "上手"). */
  resolveCourse(name: string): string | undefined {
    const key = matchKey(name)
    if (!key) return undefined
    const courses = this.courses()
    return courses.find((c) => matchKey(c) === key) ?? courses.find((c) => matchKey(c).includes(key))
  }

  chapter(key: string): Chapter | undefined {
    return this.chapterByKey.get(key)
  }

  /** A chapter's place in `chapters`: a short, stable handle for button ids within one build of the library. */
  chapterIndex(key: string): number | undefined {
    return this.chapterIndexByKey.get(key)
  }

  /** The chapters the courses' tables of contents list, in course order (other Markdown pages excluded). */
  tocChapters(course?: string): Chapter[] {
    return this.chapters.filter((c) => this.tocKeys.has(c.key) && (course === undefined || c.course === course))
  }

  /** Autocomplete for questions: titles and headings matching what has been typed. */
  suggest(typed: string, limit: number): string[] {
    return this.suggester.suggest(typed, limit)
  }

  passage(id: string): Passage | undefined {
    return this.passageById.get(id)
  }

  chapterPassages(key: string): Passage[] {
    return (this.passagesByChapter.get(key) ?? []).filter((p) => p.kind !== 'comment')
  }

  /** The first substantive paragraph(s) of a chapter's text, trimmed to a sentence end; undefined without text. */
  summary(key: string, maxChars = 400): string | undefined {
    const passages = this.chapterPassages(key)
    return passages.length > 0 ? summarize(passages.map((p) => p.text), maxChars) : undefined
  }

  /** The chapters before and after one, within its course. */
  neighbours(key: string): { previous?: Chapter; next?: Chapter } {
    const chapter = this.chapterByKey.get(key)
    if (!chapter) return {}
    const inCourse = this.chapters.filter((c) => c.course === chapter.course)
    const at = inCourse.indexOf(chapter)
    return { previous: inCourse[at - 1], next: inCourse[at + 1] }
  }

  /**
   * Chapters that a user's "13", "第13章", title or title fragment names, best first. A number that exists
   * in several courses returns one chapter per course, so the caller can ask which one was meant.
   */
  findChapters(input: string, course?: string): Chapter[] {
    const pool = course ? this.chapters.filter((c) => c.course === course) : [...this.chapters]
    const text = normalize(input).trim()
    const number = /^(?:第\s*)?(\d{1,3})\s*(?:章|节|讲|课)?$/.exec(text)?.[1]
    if (number !== undefined) return pool.filter((c) => c.number !== null && Number(c.number) === Number(number))
    const key = matchKey(input)
    if (!key) return []
    const exact = pool.filter((c) => matchKey(c.title) === key || matchKey(c.key) === key)
    if (exact.length > 0) return exact
    const containing = pool.filter((c) => matchKey(c.title).includes(key))
    if (containing.length > 0) return containing
    const terms = tokenizeQuery(input)
    return pool
      .map((c) => ({ c, shared: terms.filter((t) => this.titleOf(c).tokens.has(t)).length }))
      .filter((x) => x.shared > 0)
      .sort((a, b) => b.shared - a.shared)
      .slice(0, 10)
      .map((x) => x.c)
  }

  /** What lookup and ranking ask of a chapter's title, for every chapter (see `titles`). */
  private titleOf(chapter: Chapter): ChapterTitle {
    return this.titles.get(chapter.key)!
  }

  stats(): LibraryStats {
    const perCourse = this.courses().map((course) => {
      const chapters = this.chapters.filter((c) => c.course === course)
      const keys = new Set(chapters.map((c) => c.key))
      return {
        course,
        chapters: chapters.length,
        chaptersWithText: chapters.filter((c) => c.hasText).length,
        passages: this.passages.filter((p) => p.kind !== 'comment' && keys.has(p.chapterKey)).length,
      }
    })
    return {
      chapters: this.chapters.length,
      chaptersWithText: this.chapters.filter((c) => c.hasText).length,
      passages: this.passages.filter((p) => p.kind !== 'comment').length,
      comments: this.passages.filter((p) => p.kind === 'comment').length,
      perCourse,
    }
  }

  /**
   * How telling a term is: how rare among the documents of one store (BM25's idf), scaled down for everyday
   * words of general Chinese ("上", "能", lone characters left over by segmentation).
   */
  private weight(term: string, store: TokenStore = this.tokens): number {
    const df = store.documentFrequency(term)
    if (df === 0) return 0
    return Math.log(1 + (store.documentCount - df + 0.5) / (df + 0.5)) * (this.rarity.get(term) ?? 1)
  }

  /** Be told how long each search took (for metrics), without the library knowing who listens. */
  onSearch(listener: (ms: number) => void): void {
    this.searchListeners.push(listener)
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const started = performance.now()
    const result = this.rank(query, options)
    const ms = performance.now() - started
    for (const listener of this.searchListeners) listener(ms)
    return result
  }

  /**
   * Rank passages and title-only chapters for a question. Orama finds candidates; they are then rescored by
   * how much of the question (weighted by rarity) each covers, so a short title cannot win on length alone.
   */
  private rank(query: string, options: SearchOptions): SearchResult {
    const { limit = 3, offset = 0, course, includeComments = false } = options
    const tokens = tokenizeQuery(query)
    const unknown = tokens.some((t) => this.tokens.documentFrequency(t) === 0)
    const corrected = unknown ? this.spelling.corrections(query).flatMap((c) => tokenizeQuery(c)) : []
    const terms = [...new Set([...tokens, ...corrected])]
    if (terms.length === 0) return { query, terms, total: 0, hits: [] }
    // Title-only chapters compete with paragraphs on equal terms: coverage and proximity decide, not length.
    const pools = [
      { db: this.dbs.passages, store: this.tokens, group: PASSAGES },
      { db: this.dbs.titles, store: this.tokens, group: TITLES },
      ...(includeComments ? [{ db: this.dbs.comments, store: this.commentTokens, group: PASSAGES }] : []),
    ]
    // Per token store, once per question: each term's weight, their sum, and the first stage's documents by weight.
    const perStore = new Map<TokenStore, { weighted: Weighted[]; totalWeight: number; byWeight: Candidate[][]; chapters: Float64Array }>()
    const weighing = (store: TokenStore) => {
      let weighed = perStore.get(store)
      if (!weighed) {
        const weighted = terms.map((token) => ({ token, weight: this.weight(token, store) }))
        const totalWeight = weighted.reduce((sum, t) => sum + t.weight, 0)
        const chapters = this.chapterScores(weighted, store)
        perStore.set(store, (weighed = { weighted, totalWeight, byWeight: this.topByWeight(weighted, store, course), chapters }))
      }
      return weighed
    }

    const scored: ScoredHit[] = []
    for (const { db, store, group } of pools) {
      const { weighted, totalWeight, byWeight, chapters } = weighing(store)
      // A title-only chapter's context is what it teaches (CHAPTER_TOPICS): it finds the chapter and counts in its
      // chapter score, not as words the chapter itself holds.
      const contextWeight = group === TITLES ? 0 : WEIGHTS.CONTEXT
      const candidates = this.candidates(terms, store, db, byWeight[group]!, course)
      const best = candidates[0]?.score ?? 0
      for (const candidate of candidates) {
        const hit = this.describe(candidate.id)
        if (!hit || (course !== undefined && hit.chapter.course !== course)) continue
        let covered = 0
        const found: string[] = []
        const ordinal = store.ordinal(candidate.id)!
        for (const { token, weight } of weighted) {
          const place = store.placeAt(ordinal, token)
          if (place === 'text') covered += weight
          else if (place === 'context') covered += contextWeight * weight
          else if (place === 'code') covered += WEIGHTS.CODE * weight
          else continue
          found.push(token)
        }
        if (found.length === 0) continue
        const coverage = totalWeight > 0 ? covered / totalWeight : 0
        const bm25 = best > 0 ? candidate.score / best : 0
        // A literal of fixed shape, not a spread of `hit`: this runs for every candidate of every question.
        const { kind, chapter, id, heading, text, code } = hit
        const inChapter = WEIGHTS.CHAPTER * chapters[this.chapterIndexByKey.get(chapter.key)!]!
        scored.push({ kind, chapter, id, heading, text, code, score: coverage + WEIGHTS.BM25 * bm25 + inChapter, terms: found, order: scored.length })
      }
    }
    this.addBonuses(scored, offset + limit, queryPhrases(query), subjectKey(query), new Set(terms))
    // Equal scores keep the order found in: paragraphs before titles, Orama's order within each.
    scored.sort((a, b) => b.score - a.score || a.order - b.order)
    const hits = scored.slice(offset, offset + limit).map(({ order: _, ...h }, i) => ({ ...h, rank: offset + i + 1, score: round(h.score) }))
    return { query, terms, total: scored.length, hits }
  }

  /**
   * The bonuses for adjacent question words side by side (proximity) and for a title that is the question's
   * subject. Stripping a hit's text of spaces and punctuation is the dearest step of ranking, so it is done
   * only for hits that have both words of some pair, and not at all for hits that even their largest possible
   * bonus cannot lift to the `needed`-th best score (they are visited best first).
   */
  private addBonuses(scored: ScoredHit[], needed: number, phrases: readonly [string, string][], subject: string, terms: ReadonlySet<string>): void {
    const best: number[] = [] // the best final scores so far, descending, at most `needed`
    for (const hit of [...scored].sort((a, b) => b.score - a.score)) {
      const found = new Set(hit.terms)
      // A pair can be side by side only if the hit has both words (a word that is not a query term is unknown here).
      const possible = phrases.filter((pair) => pair.every((w) => found.has(w) || !terms.has(w)))
      const titleMatch = subject !== '' && this.titleOf(hit.chapter).subject === subject ? 1 : 0
      const ceiling = (phrases.length > 0 ? (WEIGHTS.PHRASE * possible.length) / phrases.length : 0) + WEIGHTS.TITLE_MATCH * titleMatch
      if (best.length >= needed && hit.score + ceiling < best[needed - 1]!) continue
      let proximity = 0
      if (possible.length > 0) {
        const squashed = matchKey(`${hit.text} ${hit.heading} ${hit.chapter.title}`)
        proximity = possible.filter(([a, b]) => squashed.includes(a + b)).length / phrases.length
      }
      hit.score += WEIGHTS.PHRASE * proximity + WEIGHTS.TITLE_MATCH * titleMatch
      best.splice(sortedIndex(best, hit.score), 0, hit.score)
      best.length = Math.min(best.length, needed)
    }
  }

  /**
   * First stage, two ways, merged: Orama's BM25 over the question's rarest indexed words (its score also counts
   * when rescoring), and the documents holding the most of the question's weight (`topByWeight`). The second
   * finds answers that lack the rarest words, and answers questions made only of words too common for Orama's
   * index.
   */
  private candidates(terms: readonly string[], store: TokenStore, db: SearchDb, byWeight: readonly Candidate[], course: string | undefined): Candidate[] {
    const firstStage = this.firstStageTerms(terms, store)
    const fromOrama = firstStage.length > 0 ? searchDb(db, firstStage, CANDIDATES, course) : []
    const seen = new Set(fromOrama.map((c) => c.id))
    return [...fromOrama, ...byWeight.filter((c) => !seen.has(c.id)).map((c) => ({ id: c.id, score: 0 }))]
  }

  /**
   * Each chapter's BM25 for the question, as if the chapter were one document whose term frequency is how many
   * of its passages have the term, normalised to the best chapter (1). A chapter about the question's subject
   * lifts all its passages, so a paragraph that answers in other words than the question's still ranks.
   */
  private chapterScores(weighted: readonly Weighted[], store: TokenStore): Float64Array {
    const chapterOf = this.documentKinds.get(store)!.chapter
    const { lengths, average, chapters: chapterCount } = this.chapterLengths.get(store)!
    const scores = new Float64Array(this.chapters.length)
    const counts = (this.chapterCounts ??= new Uint32Array(this.chapters.length))
    const touched: number[] = []
    for (const { token, weight } of weighted) {
      if (weight <= 0 || store.documentFrequency(token) > MAX_INDEXED_DF) continue
      touched.length = 0
      store.documentsHaving(token, (ordinal) => {
        const chapter = chapterOf[ordinal]!
        if (chapter < 0) return
        if (counts[chapter]!++ === 0) touched.push(chapter)
      })
      const idf = Math.log(1 + (chapterCount - touched.length + 0.5) / (touched.length + 0.5)) * (this.rarity.get(token) ?? 1)
      for (const chapter of touched) {
        const tf = counts[chapter]!
        counts[chapter] = 0
        scores[chapter]! += (idf * tf * (CHAPTER_K1 + 1)) / (tf + CHAPTER_K1 * (1 - CHAPTER_B + (CHAPTER_B * lengths[chapter]!) / average))
      }
    }
    let best = 0
    for (const score of scores) if (score > best) best = score
    if (best > 0) for (let c = 0; c < scores.length; c++) scores[c]! /= best
    return scores
  }

  /** Reused by chapterScores: per chapter, how many of its documents have the term at hand. */
  private chapterCounts: Uint32Array | undefined

  /** A store's passages and title-only chapters that hold the most of the question's weight, in one pass. */
  private topByWeight(weighted: readonly Weighted[], store: TokenStore, course: string | undefined): Candidate[][] {
    const kinds = this.documentKinds.get(store)!
    const courseId = course === undefined ? undefined : this.courseIds.get(course)
    return store.topByWeight(weighted, CANDIDATES, COVERAGE_POSTINGS, 2, (o) =>
      courseId === undefined || kinds.course[o] === courseId ? (kinds.title[o] === 1 ? TITLES : PASSAGES) : -1,
    )
  }


  /** The rarest indexed terms, as many as fit the postings budget (at least one, when any is indexed). */
  private firstStageTerms(terms: readonly string[], store: TokenStore): string[] {
    const byRarity = terms.filter((t) => isIndexed(store, t)).sort((a, b) => store.documentFrequency(a) - store.documentFrequency(b))
    const chosen: string[] = []
    let postings = 0
    for (const term of byRarity) {
      postings += store.documentFrequency(term)
      if (chosen.length > 0 && postings > FIRST_STAGE_POSTINGS) break
      chosen.push(term)
    }
    return chosen
  }

  private describe(id: string): Omit<SearchHit, 'rank' | 'score' | 'terms'> | undefined {
    if (id.startsWith(TITLE_PREFIX)) {
      const chapter = this.chapterByKey.get(id.slice(TITLE_PREFIX.length))
      return chapter && { kind: 'title', chapter, id, heading: '', text: chapter.title }
    }
    const passage = this.passageById.get(id)
    const chapter = passage && this.chapterByKey.get(passage.chapterKey)
    return chapter && passage && { kind: passage.kind, chapter, id, heading: passage.heading, text: passage.text, code: passage.code }
  }
}

/** Whether Orama indexes a word: all but those too common to be worth a posting list. */
function isIndexed(store: TokenStore, token: string): boolean {
  return store.documentFrequency(token) <= MAX_INDEXED_DF
}

/** What a question or title is about, as one comparable key: its words less numbers, stop words and punctuation. */
function subjectKey(text: string): string {
  return matchKey(cutWords(text).filter((w) => !isStopWord(w) && !/^\d+$/.test(w.trim())).join(''))
}

/** Where a score goes in a descending list. */
function sortedIndex(descending: readonly number[], score: number): number {
  let at = 0
  while (at < descending.length && descending[at]! >= score) at++
  return at
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000
}
