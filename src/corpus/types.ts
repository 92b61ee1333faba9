/** One chapter as the course's sidebar lists it, whether or not its text is in the corpus. */
export interface TocEntry {
  /** Course name as it appears in the site's links, e.g. "深入剖析Kubernetes". */
  course: string
  /** 1-based position in the course's sidebar. */
  position: number
  /** The number printed in the title ("00", "13"), or null for "特别放送", "结束语"… */
  number: string | null
  /** Title without ".md", e.g. "13 为什么我们需要Pod？". */
  title: string
  /** Site base plus the decoded href. */
  url: string
  /** The decoded href path, e.g. "/专栏/深入剖析Kubernetes/13 为什么我们需要Pod？.md". */
  path: string
  /** The href exactly as the sidebar has it; the fetcher checks it before following it. */
  href: string
}

/** A block of body text in reading order, before it is cut into passages. */
export type Block =
  | { type: 'heading'; level: 2 | 3; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; text: string }
  | { type: 'code'; text: string; lang?: string }

/** A code block as a passage shows it: its language where the page names one ("yaml"), else "". */
export interface CodeSample {
  lang: string
  text: string
}

export type PassageKind = 'paragraph' | 'list' | 'title' | 'comment'

export interface Passage {
  /** Stable within one build: chapter key plus order. */
  id: string
  kind: PassageKind
  chapterKey: string
  /** Headings above the passage, outermost first ("快速回顾 › 组件"). Empty when there are none. */
  heading: string
  text: string
  /** Code blocks that belong to the passage's prose (never a passage of their own). */
  code?: CodeSample[]
  /** Corpus-relative file the passage came from. */
  source: string
}

/** A chapter of a course, or a Markdown page from another source. */
export interface Chapter {
  /** `course#position` for course chapters, `course#path` for other pages. */
  key: string
  course: string
  position: number
  number: string | null
  title: string
  url: string
  /** True when the corpus holds the chapter's text (not only its TOC entry). */
  hasText: boolean
}

/** The key of the chapter a TOC entry lists: its course and its place in the course's sidebar. */
export function tocChapterKey(entry: Pick<TocEntry, 'course' | 'position'>): string {
  return `${entry.course}#${entry.position}`
}

/** The chapter a TOC entry lists; `url` overrides the entry's when the text came from elsewhere. */
export function chapterOfEntry(entry: TocEntry, hasText: boolean, url = entry.url): Chapter {
  return { key: tocChapterKey(entry), course: entry.course, position: entry.position, number: entry.number, title: entry.title, url, hasText }
}

/** A problem with one corpus file; the rest of the corpus is still used. */
export interface CorpusWarning {
  file: string
  reason: string
}
