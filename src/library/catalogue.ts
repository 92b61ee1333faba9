import type { Corpus } from '../corpus/load-corpus.js'
import { tocChapterKey, type Chapter, type Passage, type PassageKind, type TocEntry } from '../corpus/types.js'
import { matchKey, normalize } from '../text/normalize.js'
import { summarize } from './summary.js'
import { isStopWord, type Tokenizer } from './tokenizer.js'

export interface LibraryStats {
  chapters: number
  chaptersWithText: number
  passages: number
  comments: number
  perCourse: { course: string; chapters: number; chaptersWithText: number; passages: number }[]
}

/** The parsed corpus a library answers from. */
export type LibraryCorpus = Pick<Corpus, 'toc' | 'chapters' | 'passages'>

/** A chapter title as lookup and ranking use it. */
export type ChapterTitle = {
  /** Its tokens ("13 为什么我们需要Pod？" → 13, 为什么, 需要, pod). */
  tokens: ReadonlySet<string>
  /** It as a question subject: "为什么需要pod". */
  subject: string
}

/** A searchable document as a hit shows it: a passage, or a chapter known only by its title. */
export interface DocumentView {
  kind: PassageKind
  chapter: Chapter
  /** The passage id, or `title:<chapter key>`. */
  id: string
  heading: string
  text: string
  /** The code that goes with the passage's text, if any. */
  code?: Passage['code']
}

const TITLE_PREFIX = 'title:'

/** The document id of a chapter known only by its title. */
export function titleDocId(chapterKey: string): string {
  return `${TITLE_PREFIX}${chapterKey}`
}

/** The courses' TOC, chapters and passages, and every way to look them up; nothing here searches text. */
export class Catalogue {
  readonly toc: readonly TocEntry[]
  readonly chapters: readonly Chapter[]
  readonly passages: readonly Passage[]
  private readonly chapterByKey: Map<string, Chapter>
  private readonly passageById: Map<string, Passage>
  private readonly passagesByChapter = new Map<string, Passage[]>()
  private readonly chapterIndexByKey: Map<string, number>
  private readonly tocKeys: Set<string>
  private readonly titles: Map<string, ChapterTitle>

  constructor(
    corpus: LibraryCorpus,
    /** How this corpus's text was cut into tokens, and how questions about it are. */
    readonly tokenizer: Tokenizer,
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
    // Up front, not on a chapter's first question: that first question would otherwise pay for segmenting titles.
    this.titles = new Map(corpus.chapters.map((c) => [c.key, { tokens: new Set(tokenizer.tokenize(c.title)), subject: subjectKey(c.title, tokenizer) }]))
  }

  courses(): string[] {
    return [...new Set(this.chapters.map((c) => c.course))]
  }

  /** The course text's section headings, each once (a reader comment's heading is its author's name, not a topic). */
  headings(): string[] {
    return [...new Set(this.passages.filter((p) => p.kind !== 'comment').map((p) => p.heading).filter(Boolean))]
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
    const terms = this.tokenizer.tokenizeQuery(input)
    return pool
      .map((c) => ({ c, shared: terms.filter((t) => this.titleOf(c).tokens.has(t)).length }))
      .filter((x) => x.shared > 0)
      .sort((a, b) => b.shared - a.shared)
      .slice(0, 10)
      .map((x) => x.c)
  }

  /** What lookup and ranking ask of a chapter's title, for every chapter (see `titles`). */
  titleOf(chapter: Chapter): ChapterTitle {
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

  /** A document by its id, as a hit shows it. */
  describe(id: string): DocumentView | undefined {
    if (id.startsWith(TITLE_PREFIX)) {
      const chapter = this.chapterByKey.get(id.slice(TITLE_PREFIX.length))
      return chapter && { kind: 'title', chapter, id, heading: '', text: chapter.title }
    }
    const passage = this.passageById.get(id)
    const chapter = passage && this.chapterByKey.get(passage.chapterKey)
    return chapter && passage && { kind: passage.kind, chapter, id, heading: passage.heading, text: passage.text, code: passage.code }
  }
}

/** What a question or title is about, as one comparable key: its words less numbers, stop words and punctuation. */
export function subjectKey(text: string, tokenizer: Tokenizer): string {
  // A loop, not filter and join: it runs in every search, and an array builtin inlined there deoptimises over and
  // over when its array is sometimes empty (an empty array has another shape in V8).
  let key = ''
  for (const word of tokenizer.cutWords(text)) if (!isStopWord(word) && !NUMBER.test(word)) key += word
  return matchKey(key)
}

const NUMBER = /^\s*\d+\s*$/
