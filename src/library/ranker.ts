import { sentencesOf } from '../corpus/passages.js'
import type { Chapter } from '../corpus/types.js'
import { matchKey, normalize } from '../text/normalize.js'
import type { Catalogue, DocumentView } from './catalogue.js'
import { subjectKey } from './catalogue.js'
import { answerShape, hasAnswerShape, type AnswerShape } from './answer-shape.js'
import { generalRarity } from './general-rarity.js'
import { LONG_CHAPTER, WEIGHTS } from './ranking-weights.js'
import { buildDb, searchDb, type Candidate, type FieldPostings, type IndexedDoc, type SearchDb } from './search-index.js'
import { SpellingCorrector, type SpellingLexicon } from './spelling.js'
import type { TokenStore } from './token-store.js'

export interface SearchOptions {
  limit?: number
  offset?: number
  /** Only this course. */
  course?: string
  /** Reader comments are not course content; they are searched only when asked for. */
  includeComments?: boolean
}

/** A passage, or a chapter known only by its title (its id then `title:<chapter key>`), as a question found it. */
export interface SearchHit extends DocumentView {
  rank: number
  score: number
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

/**
 * A question term, how telling it is in one token store, and which word of the question it comes from (a Chinese
 * word and its pieces are one word: see questionWordOfTerms) with how many terms that word has.
 */
type Weighted = { token: string; weight: number; word: number; pieces: number; id: number | undefined; han: boolean; titleOnly: boolean }

/** A hit while it is ranked: `order` is when it was found, which settles ties. */
type ScoredHit = Omit<SearchHit, 'rank'> & {
  order: number
  /** The question as the hit's token store weighs it, for the bonuses. */
  question: QuestionWeights
}

/**
 * A question's terms as one token store weighs them for one kind of hit (a passage lacks the terms only the hand-made
 * tables give: see Ranker.questionTerms), and the total weight of all of them, counting each word once.
 */
type QuestionWeights = { weighted: Weighted[]; totalWeight: number }

/** How many first-stage candidates each index gives the rescoring stage. */
const HAN = /\p{Script=Han}/u
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

/**
 * How fast naming a term again stops counting (REPEATS): the k1 of BM25's term frequency, over the repeats past the
 * first. At 1, a second mention earns half of what many would.
 */
const REPEAT_K = 1
/**
 * A title-only chapter's text is its title, which names its subject once but is wholly about it: it counts as naming
 * each of its words twice. With none, passages' repeats outrank such chapters, and the course sets lose 4 hit@1.
 */
const TITLE_REPEATS = 2

/** BM25's usual k1 and b for chapterScores, where a term's frequency is how many of a chapter's passages have it. */
const CHAPTER_K1 = 1.2
const CHAPTER_B = 0.75

/** The groups of a token store's documents in the first stage. */
const PASSAGES = 0
const TITLES = 1

/**
 * Ranks passages and title-only chapters for a question: Orama's indexes over the token stores find candidates,
 * which are then rescored by how much of the question each covers and by the weights of ranking-weights.ts.
 */
export class Ranker {
  private readonly spelling: SpellingCorrector
  private readonly rarity: Map<string, number>
  private readonly courseIds: Map<string, number>
  /** Orama's indexes, built by `create` from the token stores right after construction. */
  private dbs!: { passages: SearchDb; titles: SearchDb; comments: SearchDb }
  /** Per token store, per document ordinal: whether it is a title-only chapter, its course's and its chapter's number. */
  private readonly documentKinds = new Map<TokenStore, { title: Uint8Array; course: Uint16Array; chapter: Int32Array }>()
  /** Per chapter: how many documents it has in the store (its length for chapterScores). */
  private readonly chapterLengths = new Map<TokenStore, { lengths: Uint32Array; average: number; chapters: number }>()
  /**
   * Where the hand-made tables' terms count (questionTerms): for every hit where most chapters are known only by their
   * title, for those chapters alone where only some are, and nowhere where none is.
   */
  private readonly tables: 'all' | 'titles' | 'none'
  /** Per token store, its documents that are chapters known only by their title (few: the seed pages have 78). */
  private readonly titleOrdinals = new Map<TokenStore, number[]>()

  private constructor(
    private readonly catalogue: Catalogue,
    private readonly tokens: TokenStore,
    private readonly commentTokens: TokenStore,
    spelling: SpellingLexicon,
  ) {
    const { chapters } = catalogue
    this.courseIds = new Map(catalogue.courses().map((c, i) => [c, i]))
    for (const store of [tokens, commentTokens]) {
      const ids = store.documentIds()
      const kinds = { title: new Uint8Array(ids.length), course: new Uint16Array(ids.length), chapter: new Int32Array(ids.length) }
      const lengths = new Uint32Array(chapters.length)
      ids.forEach((id, ordinal) => {
        const described = catalogue.describe(id)
        kinds.title[ordinal] = described?.kind === 'title' ? 1 : 0
        kinds.course[ordinal] = (described && this.courseIds.get(described.chapter.course)) ?? 0xffff
        const chapter = (described && catalogue.chapterIndex(described.chapter.key)) ?? -1
        kinds.chapter[ordinal] = chapter
        if (chapter >= 0) lengths[chapter]!++
      })
      const withDocuments = lengths.filter((n) => n > 0).length
      this.chapterLengths.set(store, { lengths, chapters: withDocuments, average: withDocuments > 0 ? ids.length / withDocuments : 1 })
      this.documentKinds.set(store, kinds)
      this.titleOrdinals.set(store, [...kinds.title.keys()].filter((o) => kinds.title[o] === 1))
    }
    const titleOnly = chapters.filter((c) => !c.hasText).length
    this.tables = titleOnly > chapters.length / 2 ? 'all' : titleOnly > 0 ? 'titles' : 'none'
    this.rarity = generalRarity([...tokens.words(), ...commentTokens.words()], WEIGHTS.GENERAL_IDF)
    this.spelling = new SpellingCorrector(tokens.words(), spelling, catalogue.tokenizer)
  }

  /**
   * A ranker with Orama's indexes over the token stores: paragraphs, title-only chapters and comments apart. Orama
   * gets each document's tokens less the words too common to be worth a posting list (see MAX_INDEXED_DF).
   */
  static async create(catalogue: Catalogue, tokens: TokenStore, commentTokens: TokenStore, spelling: SpellingLexicon): Promise<Ranker> {
    const ranker = new Ranker(catalogue, tokens, commentTokens, spelling)
    const courses = catalogue.courses()
    function* docsOf(store: TokenStore, titles: boolean): Generator<IndexedDoc> {
      const kinds = ranker.documentKinds.get(store)!
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
    ranker.dbs = { passages, titles, comments }
    return ranker
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

  /**
   * Rank passages and title-only chapters for a question. Orama finds candidates; they are then rescored by
   * how much of the question (weighted by rarity) each covers, so a short title cannot win on length alone.
   */
  rank(query: string, options: SearchOptions): SearchResult {
    const { limit = 3, offset = 0, course, includeComments = false } = options
    const { tokenizer } = this.catalogue
    const asked = this.questionTerms(query)
    const unknown = asked.own.some((t) => this.tokens.documentFrequency(t) === 0)
    const corrected = unknown ? this.spelling.corrections(query).map((c) => this.questionTerms(c)) : []
    const own = [...new Set([asked, ...corrected].flatMap((q) => q.own))]
    const ownSet = new Set(own)
    const terms = [...own, ...new Set([asked, ...corrected].flatMap((q) => q.titleOnly).filter((t) => !ownSet.has(t)))]
    if (terms.length === 0) return { query, terms, total: 0, hits: [] }
    // Title-only chapters compete with paragraphs on equal terms: coverage and proximity decide, not length.
    const pools = [
      { db: this.dbs.passages, store: this.tokens, group: PASSAGES },
      { db: this.dbs.titles, store: this.tokens, group: TITLES },
      ...(includeComments ? [{ db: this.dbs.comments, store: this.commentTokens, group: PASSAGES }] : []),
    ]
    // Per token store, once per question: each term's weight (for title-only chapters, and for passages without the
    // tables' terms), the weight of the question's words, and the first stage's documents by weight.
    const perStore = new Map<TokenStore, { forTitles: Weighted[]; forPassages: Weighted[]; totalWeight: number; byWeight: Candidate[][]; chapters: Float64Array; chapterWeight: number }>()
    const wordOf = tokenizer.questionWordOfTerms(query, terms, { tables: this.tables === 'all' })
    const words = Math.max(...wordOf) + 1
    const pieces = new Uint16Array(words)
    for (const word of wordOf) pieces[word]!++
    // How many words the question is asked in: the tables' terms are none of its words.
    const ownWords = new Set(wordOf.slice(0, own.length)).size
    // Per word of the question, the best a hit has of it, and of its repeats (reused for every hit).
    const bestOfWord = new Float64Array(words)
    const repeatsOfWord = new Float64Array(words)
    const weighing = (store: TokenStore) => {
      let weighed = perStore.get(store)
      if (!weighed) {
        const forTitles = terms.map((token, i) => {
          const titleOnly = !ownSet.has(token)
          // A table's term that no title-only chapter has weighs nothing, as a word the corpus lacks.
          const weight = titleOnly && !this.anyTitleHas(token, store) ? 0 : this.weight(token, store)
          return { token, weight, word: wordOf[i]!, pieces: pieces[wordOf[i]!]!, id: store.idOf(token), han: HAN.test(token), titleOnly }
        })
        const forPassages = forTitles.length > own.length ? forTitles.filter((t) => !t.titleOnly) : forTitles
        // One total for both kinds of hit: a passage lacks the tables' terms as it would lack any other word.
        const totalWeight = wordShare(forTitles, bestOfWord)
        const chapters = this.chapterScores(forTitles, store)
        // Passages by their own terms (title-only chapters find the tables' terms through the first stage's BM25).
        const byWeight = this.topByWeight(forPassages, store, course)
        // Where chapters are long, a long question's everyday words are in all of them: it leans less on its chapter.
        const long = WEIGHTS.LONG_QUESTION > 0 && this.chapterLengths.get(store)!.average >= LONG_CHAPTER
        const chapterWeight = WEIGHTS.CHAPTER * (long ? Math.min(1, WEIGHTS.LONG_QUESTION / ownWords) : 1)
        perStore.set(store, (weighed = { forTitles, forPassages, totalWeight, byWeight, chapters, chapterWeight }))
      }
      return weighed
    }

    const scored: ScoredHit[] = []
    for (const { db, store, group } of pools) {
      const { forTitles, forPassages, totalWeight, byWeight, chapters, chapterWeight } = weighing(store)
      const weighted = group === TITLES ? forTitles : forPassages
      const question = { weighted, totalWeight }
      // A title-only chapter's context is what it teaches (CHAPTER_TOPICS): it finds the chapter and counts in its
      // chapter score, not as words the chapter itself holds.
      const contextWeight = group === TITLES ? 0 : WEIGHTS.CONTEXT
      const candidates = this.candidates(group === TITLES ? terms : own, store, db, byWeight[group]!, course)
      const best = candidates[0]?.score ?? 0
      for (const candidate of candidates) {
        const hit = this.catalogue.describe(candidate.id)
        if (!hit || (course !== undefined && hit.chapter.course !== course)) continue
        // A word of the question counts once, as the best of its pieces the hit has: a long word whose pieces
        // are all common (多长时间) would otherwise outweigh the word that says what the question is about.
        bestOfWord.fill(0)
        repeatsOfWord.fill(0)
        const found: string[] = []
        const ordinal = store.ordinal(candidate.id)!
        for (const { token, weight, word, id: tokenId, han } of weighted) {
          const inText = tokenId === undefined ? 0 : store.repeatsInText(ordinal, tokenId)
          const place = inText > 0 ? 'text' : tokenId === undefined ? undefined : store.placeBesideText(ordinal, tokenId)
          let got: number
          if (place === 'text') {
            got = weight
            const repeats = group === TITLES ? TITLE_REPEATS : inText
            if (repeats > 1) repeatsOfWord[word] = Math.max(repeatsOfWord[word]!, (weight * (repeats - 1)) / (repeats - 1 + REPEAT_K))
          } else if (place === 'context') got = contextWeight * weight
          else if (place === 'code') got = WEIGHTS.CODE * weight
          else {
            // Segmentation can cut a word differently in question and text ("高" and "较高", "装" and "安装").
            // Han text needs no normalising to be searched for a normalised Han word.
            if (han && hit.text.includes(token)) bestOfWord[word] = Math.max(bestOfWord[word]!, WEIGHTS.INSIDE_WORD * weight)
            continue
          }
          bestOfWord[word] = Math.max(bestOfWord[word]!, got)
          found.push(token)
        }
        if (found.length === 0) continue
        let covered = 0
        let repeated = 0
        for (let word = 0; word < bestOfWord.length; word++) {
          covered += bestOfWord[word]!
          repeated += repeatsOfWord[word]!
        }
        const coverage = totalWeight > 0 ? covered / totalWeight : 0
        const inRepeats = totalWeight > 0 ? (WEIGHTS.REPEATS * repeated) / totalWeight : 0
        const bm25 = best > 0 ? candidate.score / best : 0
        // A literal of fixed shape, not a spread of `hit`: this runs for every candidate of every question.
        const { kind, chapter, id, heading, text, code } = hit
        const inChapter = chapterWeight * chapters[this.catalogue.chapterIndex(chapter.key)!]!
        const inTitle = WEIGHTS.TITLE_SHARE * this.titleShare(chapter, weighted, totalWeight, bestOfWord)
        const inHeading = WEIGHTS.HEADING_SHARE * headingShare(heading, weighted, totalWeight, bestOfWord)
        scored.push({ kind, chapter, id, heading, text, code, score: coverage + inRepeats + WEIGHTS.BM25 * bm25 + inChapter + inTitle + inHeading, terms: found, order: scored.length, question })
      }
    }
    this.addBonuses(scored, offset + limit, tokenizer.queryPhrases(query), subjectKey(query, tokenizer), new Set(terms), answerShape(query), bestOfWord)
    // Equal scores keep the order found in: paragraphs before titles, Orama's order within each.
    scored.sort((a, b) => b.score - a.score || a.order - b.order)
    const hits = scored.slice(offset, offset + limit).map(({ order: _, question: _q, ...h }, i) => ({ ...h, rank: offset + i + 1, score: round(h.score) }))
    return { query, terms, total: scored.length, hits }
  }

  /**
   * A question's own terms (its words, and the corpus's Chinese words for its English ones) and, apart, those only the
   * hand-made tables give (Tokenizer.tokenizeQuery). The tables were written for chapters known only by their title;
   * where chapters have their text, its own words do better (docs/ranking.md, session 15). Where most chapters are
   * titles (the seed pages, whose two text chapters recap the others by their titles), they count as the question's own.
   */
  private questionTerms(query: string): { own: string[]; titleOnly: string[] } {
    const { tokenizer } = this.catalogue
    if (this.tables === 'all') return { own: tokenizer.tokenizeQuery(query), titleOnly: [] }
    if (this.tables === 'none') return { own: tokenizer.tokenizeQuery(query, { tables: false }), titleOnly: [] }
    const { own, tables } = tokenizer.tokenizeQueryApart(query)
    return { own, titleOnly: tables }
  }

  /** Whether any chapter known only by its title has a term, in its title or in what it teaches. */
  private anyTitleHas(token: string, store: TokenStore): boolean {
    const id = store.idOf(token)
    return id !== undefined && this.titleOrdinals.get(store)!.some((o) => store.placeOf(o, id) !== undefined)
  }

  /**
   * The bonuses for adjacent question words side by side (proximity), for a title that is the question's subject,
   * and for a sentence that holds the question's words with the answer's shape. Stripping a hit's text of spaces and
   * punctuation, and cutting it into sentences, are the dearest steps of ranking, so they are done only for hits that
   * could gain (both words of some pair; a question whose wording tells a shape), and not at all for hits that even
   * their largest possible bonus cannot lift to the `needed`-th best score (they are visited best first).
   */
  private addBonuses(
    scored: ScoredHit[],
    needed: number,
    phrases: readonly [string, string][],
    subject: string,
    terms: ReadonlySet<string>,
    shape: AnswerShape | undefined,
    scratch: Float64Array,
  ): void {
    const best: number[] = [] // the best final scores so far, descending, at most `needed`
    const reach = (score: number) => best.length < needed || score >= best[needed - 1]!
    const shapeCeiling = shape === undefined ? 0 : WEIGHTS.ANSWER_SHAPE
    for (const hit of [...scored].sort((a, b) => b.score - a.score)) {
      // A pair can be side by side only if the hit has both words (a word that is not a query term is unknown here).
      const possible = phrases.filter((pair) => pair.every((w) => hit.terms.includes(w) || !terms.has(w)))
      const titleMatch = subject !== '' && this.catalogue.titleOf(hit.chapter).subject === subject ? 1 : 0
      const phraseCeiling = phrases.length > 0 ? (WEIGHTS.PHRASE * possible.length) / phrases.length : 0
      if (!reach(hit.score + WEIGHTS.TITLE_MATCH * titleMatch + shapeCeiling + phraseCeiling)) continue
      // The sentence with the answer's shape first: it is cheaper than proximity, and may leave that out of reach.
      const { weighted, totalWeight } = hit.question
      const shaped = shape === undefined || shapeCeiling === 0 ? 0 : WEIGHTS.ANSWER_SHAPE * shapedSentenceShare(hit.text, shape, weighted, totalWeight, scratch)
      const sure = hit.score + WEIGHTS.TITLE_MATCH * titleMatch + shaped
      if (!reach(sure + phraseCeiling)) continue
      let proximity = 0
      if (possible.length > 0) {
        const squashed = matchKey(`${hit.text} ${hit.heading} ${hit.chapter.title}`)
        proximity = possible.filter(([a, b]) => squashed.includes(a + b)).length / phrases.length
      }
      hit.score = sure + WEIGHTS.PHRASE * proximity
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
    // Loops, not map and filter: either list is often empty (see subjectKey).
    const merged: Candidate[] = []
    const seen = new Set<string>()
    for (let i = 0; i < fromOrama.length; i++) {
      merged.push(fromOrama[i]!)
      seen.add(fromOrama[i]!.id)
    }
    for (let i = 0; i < byWeight.length; i++) if (!seen.has(byWeight[i]!.id)) merged.push({ id: byWeight[i]!.id, score: 0 })
    return merged
  }

  /**
   * Each chapter's BM25 for the question, as if the chapter were one document whose term frequency is how many
   * of its passages have the term, normalised to the best chapter (1). A chapter about the question's subject
   * lifts all its passages, so a paragraph that answers in other words than the question's still ranks.
   */
  private chapterScores(weighted: readonly Weighted[], store: TokenStore): Float64Array {
    const chapterOf = this.documentKinds.get(store)!.chapter
    const { lengths, average, chapters: chapterCount } = this.chapterLengths.get(store)!
    // One buffer per store, reused by every question (a search runs to its end before the next begins).
    let scores = this.chapterScoreBuffers.get(store)
    if (!scores) this.chapterScoreBuffers.set(store, (scores = new Float64Array(this.catalogue.chapters.length)))
    else scores.fill(0)
    const counts = (this.chapterCounts ??= new Uint32Array(this.catalogue.chapters.length))
    // The chapters having the term at hand, in a typed array: an array emptied for each term would be re-grown each time.
    const touched = (this.touchedChapters ??= new Int32Array(this.catalogue.chapters.length))
    let touchedCount = 0
    const visit = (ordinal: number) => {
      const chapter = chapterOf[ordinal]!
      if (chapter >= 0 && counts[chapter]!++ === 0) touched[touchedCount++] = chapter
    }
    const kinds = this.documentKinds.get(store)!
    const visitTitle = (ordinal: number) => {
      if (kinds.title[ordinal] === 1) visit(ordinal)
    }
    for (const { token, weight, pieces, titleOnly } of weighted) {
      if (weight <= 0 || store.documentFrequency(token) > MAX_INDEXED_DF) continue
      touchedCount = 0
      // The tables' terms count for chapters known only by their title alone.
      store.documentsHaving(token, titleOnly ? visitTitle : visit)
      // A word's pieces share its place in the question, as they share it in coverage.
      const idf = (Math.log(1 + (chapterCount - touchedCount + 0.5) / (touchedCount + 0.5)) * (this.rarity.get(token) ?? 1)) / pieces
      for (let i = 0; i < touchedCount; i++) {
        const chapter = touched[i]!
        const tf = counts[chapter]!
        counts[chapter] = 0
        scores[chapter]! += (idf * tf * (CHAPTER_K1 + 1)) / (tf + CHAPTER_K1 * (1 - CHAPTER_B + (CHAPTER_B * lengths[chapter]!) / average))
      }
    }
    let best = 0
    for (let c = 0; c < scores.length; c++) if (scores[c]! > best) best = scores[c]!
    if (best > 0) for (let c = 0; c < scores.length; c++) scores[c]! /= best
    return scores
  }

  /** Reused by chapterScores: per chapter, how many of its documents have the term at hand. */
  private chapterCounts: Uint32Array | undefined
  /** Reused by chapterScores: the chapters a term's documents are in. */
  private touchedChapters: Int32Array | undefined
  /** Reused by chapterScores: its scores, per token store. */
  private readonly chapterScoreBuffers = new Map<TokenStore, Float64Array>()

  /** The share of the question's weight that a chapter's title holds, whether or not the hit's own text has it too. */
  private titleShare(chapter: Chapter, weighted: readonly Weighted[], totalWeight: number, best: Float64Array): number {
    if (totalWeight <= 0) return 0
    const title = this.catalogue.titleOf(chapter).tokens
    return wordShare(weighted, best, title) / totalWeight
  }

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

}

/**
 * The share of the question's weight that a passage's heading path holds, whether or not its text has the words
 * too: the section a passage sits in says what it is about. Headings are short, so a substring test suffices.
 */
function headingShare(heading: string, weighted: readonly Weighted[], totalWeight: number, best: Float64Array): number {
  if (!heading || totalWeight <= 0) return 0
  const normalized = normalize(heading)
  return wordShare(weighted, best, normalized) / totalWeight
}

/**
 * The largest share of the question's weight that one sentence of a passage holds, among its sentences with the
 * answer's shape (a number for how many, a cause for why): the question's words and its answer side by side.
 */
function shapedSentenceShare(text: string, shape: AnswerShape, weighted: readonly Weighted[], totalWeight: number, best: Float64Array): number {
  if (totalWeight <= 0 || !hasAnswerShape(text, shape)) return 0
  let share = 0
  for (const sentence of sentencesOf(text)) if (hasAnswerShape(sentence, shape)) share = Math.max(share, wordShare(weighted, best, normalize(sentence)))
  return share / totalWeight
}

/**
 * The weight of the question's words that a place has (a title's words, a heading's text; all of them when none is
 * given): each word counts once, as its heaviest piece there.
 */
function wordShare(weighted: readonly Weighted[], best: Float64Array, place?: ReadonlySet<string> | string): number {
  best.fill(0)
  for (const { token, weight, word } of weighted) {
    if (weight <= best[word]!) continue
    if (place === undefined || (typeof place === 'string' ? place.includes(token) : place.has(token))) best[word] = weight
  }
  let share = 0
  for (let word = 0; word < best.length; word++) share += best[word]!
  return share
}

/** Whether Orama indexes a word: all but those too common to be worth a posting list. */
function isIndexed(store: TokenStore, token: string): boolean {
  return store.documentFrequency(token) <= MAX_INDEXED_DF
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
