import { Catalogue, titleDocId, type LibraryCorpus } from './catalogue.js'
import { CHAPTER_TOPICS } from './chapter-topics.js'
import { englishGlosses } from './english-glosses.js'
import { Ranker, type SearchOptions, type SearchResult } from './ranker.js'
import type { SpellingLexicon } from './spelling.js'
import { Suggester } from './suggest.js'
import { TokenStore, TokenStoreBuilder } from './token-store.js'
import { plainTokenizer, Tokenizer } from './tokenizer.js'
import type { CorpusWord } from './corpus-words.js'

export type { LibraryCorpus, LibraryStats } from './catalogue.js'
export type { SearchHit, SearchOptions, SearchResult } from './ranker.js'

/** How long a server start spends warming the search path (see Library.warmUp). */
const WARM_UP_MS = 300

/**
 * What is persisted: the parsed corpus and every document's tokens, so a restart segments no text. Orama's
 * indexes are rebuilt from the tokens: that is faster than parsing them back, and much smaller.
 */
export interface StoredLibrary extends LibraryCorpus {
  tokens: TokenStore
  /** Reader comments' tokens, apart, so that comments do not change how rare a word is in the course text. */
  commentTokens: TokenStore
  /** What typo correction needs beyond the tokens, so that answering never reads a word's pinyin. */
  spelling: SpellingLexicon
  /** The corpus's words that the tokens were cut with (corpus-words.ts): questions must be cut the same way. */
  corpusWords: CorpusWord[]
  /** English words and the corpus's Chinese words for them (english-glosses.ts), so that answering never reads the dictionary. */
  englishGlosses: [string, string[]][]
}

/**
 * The course library: its catalogue (TOC, chapters, passages and their lookups), searchable with Chinese and
 * English questions through its ranker, with autocomplete. Built from a corpus, or restored from an index file.
 */
export class Library extends Catalogue {
  private readonly suggester: Suggester
  private readonly searchListeners: ((ms: number) => void)[] = []
  private ranker!: Ranker

  private constructor(
    corpus: LibraryCorpus,
    private readonly tokens: TokenStore,
    private readonly commentTokens: TokenStore,
    private readonly spelling: SpellingLexicon,
    tokenizer: Tokenizer,
  ) {
    super(corpus, tokenizer)
    this.suggester = new Suggester(corpus.chapters.map((c) => c.title), this.headings(), tokenizer)
  }

  /** Index a parsed corpus: tokenize every text once, into the token stores that Orama's indexes are built from. */
  static async build(corpus: LibraryCorpus): Promise<Library> {
    const chapterByKey = new Map(corpus.chapters.map((c) => [c.key, c]))
    const tokenizer = Tokenizer.forCorpus(corpus.passages)
    const store = new TokenStoreBuilder()
    const comments = new TokenStoreBuilder()
    const contextTokens = new Map<string, string[]>() // a chapter's passages share their heading and chapter title
    const contextOf = (context: string) => {
      let tokens = contextTokens.get(context)
      if (!tokens) contextTokens.set(context, (tokens = tokenizer.tokenizeForIndex(context)))
      return tokens
    }
    for (const p of corpus.passages) {
      const chapter = chapterByKey.get(p.chapterKey)
      if (!chapter) continue
      // A comment's heading is its author's name: not a topic, so it is not searched.
      if (p.kind === 'comment') comments.add(p.id, tokenizer.occurrencesForIndex(p.text), [])
      else store.add(p.id, tokenizer.occurrencesForIndex(p.text), contextOf([p.heading, chapter.title].filter(Boolean).join(' ')), p.code ? tokenizer.tokenizeForIndex(p.code.map((c) => c.text).join('\n')) : [])
    }
    // Chapters with local text are answered by their passages; the others by their title alone.
    // What such a chapter teaches, where known, is its context (see CHAPTER_TOPICS).
    for (const c of corpus.chapters) if (!c.hasText) store.add(titleDocId(c.key), tokenizer.tokenizeForIndex(c.title), tokenizer.tokenizeForIndex((CHAPTER_TOPICS[c.title] ?? []).join(' ')))
    tokenizer.releaseIndexDictionary()
    const tokens = store.build()
    // Imported here: pinyin-pro is only needed to build (see spelling-lexicon.ts).
    const { spellingLexicon } = await import('./spelling-lexicon.js')
    const spelling = spellingLexicon(tokens.words(), [...corpus.chapters.map((c) => c.title), ...new Set(corpus.passages.map((p) => p.heading))], tokenizer)
    return Library.assemble(corpus, tokens, comments.build(), spelling, tokenizer.withEnglishGlosses(await englishGlosses(tokens)))
  }

  /** A library from a stored one: no text is tokenized again, and Orama's indexes are rebuilt from the token stores. */
  static async restore(stored: StoredLibrary): Promise<Library> {
    const tokenizer = stored.corpusWords.length > 0 || stored.englishGlosses.length > 0 ? new Tokenizer(stored.corpusWords, new Map(stored.englishGlosses)) : plainTokenizer
    return Library.assemble(stored, stored.tokens, stored.commentTokens, stored.spelling, tokenizer)
  }

  private static async assemble(corpus: LibraryCorpus, tokens: TokenStore, commentTokens: TokenStore, spelling: SpellingLexicon, tokenizer: Tokenizer): Promise<Library> {
    const library = new Library(corpus, tokens, commentTokens, spelling, tokenizer)
    library.ranker = await Ranker.create(library, tokens, commentTokens, spelling)
    return library
  }

  /** What `restore` takes back: see index-file.ts for how it is written. */
  stored(): StoredLibrary {
    return {
      toc: [...this.toc],
      chapters: [...this.chapters],
      passages: [...this.passages],
      tokens: this.tokens,
      commentTokens: this.commentTokens,
      spelling: this.spelling,
      corpusWords: [...this.tokenizer.corpusWords],
      englishGlosses: [...this.tokenizer.englishGlosses].map(([english, chinese]) => [english, [...chinese]]),
    }
  }

  /** Autocomplete for questions: titles and headings matching what has been typed. */
  suggest(typed: string, limit: number): string[] {
    return this.suggester.suggest(typed, limit)
  }

  /** Be told how long each search took (for metrics), without the library knowing who listens. */
  onSearch(listener: (ms: number) => void): void {
    this.searchListeners.push(listener)
  }

  /**
   * Ask the library its own chapter titles and section headings for about `budgetMs` of search time: V8 compiles
   * the search path while they run, so that the first people to ask after a start are answered as fast as later
   * ones (at 4k passages the first hundred questions were otherwise a few milliseconds slower each). It yields to
   * the event loop between questions, so a server can be ready and answering meanwhile. Listeners given to
   * onSearch do not see these searches.
   */
  async warmUp(budgetMs = WARM_UP_MS): Promise<{ questions: number; ms: number }> {
    const headings = this.headings()
    const titles = this.chapters.map((c) => c.title)
    const questions: string[] = []
    for (let i = 0; i < Math.max(titles.length, headings.length); i++) questions.push(...titles.slice(i, i + 1), ...headings.slice(i, i + 1))
    let ms = 0
    let asked = 0
    for (; asked < questions.length && ms < budgetMs; asked++) {
      const started = performance.now()
      this.ranker.rank(questions[asked]!, { limit: 3 })
      ms += performance.now() - started
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { questions: asked, ms }
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const started = performance.now()
    const result = this.ranker.rank(query, options)
    const ms = performance.now() - started
    for (const listener of this.searchListeners) listener(ms)
    return result
  }
}
