import { readFile } from 'node:fs/promises'
import type { LibraryConfig } from '../config.js'
import path from 'node:path'
import { matchKey } from '../text/normalize.js'
import { listCorpusFiles } from './corpus-files.js'
import { DEFAULT_COURSE_ORDER, inCourseOrder } from './course-order.js'
import { chapterNumber, joinUrl, parseCoursePage } from './course-page.js'
import { detectFormat, type CorpusFormat } from './detect.js'
import { parseFragmentPage } from './fragment-page.js'
import { parseMarkdownPage } from './markdown-page.js'
import { blocksToPassages } from './passages.js'
import { chapterOfEntry, tocChapterKey, type Block, type Chapter, type CorpusWarning, type Passage, type TocEntry } from './types.js'

export interface CorpusOptions {
  dir: string
  /** Site base for course chapter URLs (COURSE_BASE_URL). */
  baseUrl: string
  /** Base for Markdown pages without a `url:` in their front matter (DOCS_BASE_URL). */
  docsBaseUrl: string
  /** Pages above this many bytes are skipped with a warning (CORPUS_MAX_PAGE_MB). */
  maxPageBytes?: number
  /** Courses in this order in the TOC and everywhere courses are listed (COURSE_ORDER); others follow. */
  courseOrder?: readonly string[]
}

export interface FileReport {
  file: string
  format: CorpusFormat
  chapter?: string
  passages: number
  comments: number
}

export interface Corpus {
  toc: TocEntry[]
  /** Every TOC entry plus every other page with text, in course order. */
  chapters: Chapter[]
  passages: Passage[]
  files: FileReport[]
  warnings: CorpusWarning[]
  /** Files deliberately not read as chapters (the corpus README, licences, dotfiles). */
  ignored: string[]
  /** Sidebar entries left out of the TOC (off-site, traversal), with why; the fetcher reports them. */
  rejected: { entry: TocEntry; reason: string }[]
}

/** The corpus options that the settings give. */
export function corpusOptions(config: LibraryConfig): CorpusOptions {
  return { dir: config.corpusDir, baseUrl: config.courseBaseUrl, docsBaseUrl: config.docsBaseUrl, maxPageBytes: config.maxPageBytes, courseOrder: config.courseOrder }
}

/** Source Markdown pages that are not part of any course get this course name unless front matter says otherwise. */
export const DOCS_COURSE = 'Kubernetes 文档'

const IGNORED = /^(?:\.|readme(?:\.|$)|license|licence|notice)/i

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeText(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new Error('binary content (NUL bytes), not a text page')
  try {
    return utf8.decode(bytes)
  } catch {
    throw new Error('not valid UTF-8 text')
  }
}

/** `concepts/workloads/pods/_index.md` → `concepts/workloads/pods`. */
function docsPath(relPath: string): string {
  return relPath.replace(/\.(md|markdown|txt)$/i, '').replace(/(^|\/)_?index$/i, '')
}

interface ChapterText {
  chapter: Chapter
  blockKeys: Set<string>
}

/**
 * Read every file of the corpus folder, recognise its format by content, and build the TOC, chapters and
 * passages. A bad file becomes a warning naming it; the rest are still read.
 */
export async function loadCorpus(options: CorpusOptions): Promise<Corpus> {
  const listing = listCorpusFiles(options.dir, options.maxPageBytes)
  const warnings: CorpusWarning[] = [...listing.skipped]
  const rejected: Corpus['rejected'] = []
  const rejectedHrefs = new Set<string>()
  const reports: FileReport[] = []
  const ignored: string[] = []
  const tocByKey = new Map<string, TocEntry>()
  const textChapters = new Map<string, ChapterText>()
  const passages: Passage[] = []
  const seenPassages = new Set<string>()
  const fragments: { file: string; text: string }[] = []
  const markdownPages: { file: string; text: string }[] = []

  const addPassages = (chapterKey: string, drafts: { kind: Passage['kind']; heading: string; text: string }[], file: string) => {
    let added = 0
    for (const draft of drafts) {
      const key = `${draft.kind === 'comment' ? 'c' : 'p'}:${matchKey(draft.text)}`
      if (seenPassages.has(key)) continue
      seenPassages.add(key)
      passages.push({ id: `${chapterKey}#${passages.length}`, chapterKey, source: file, ...draft })
      added++
    }
    return added
  }

  const addTextChapter = (chapter: Chapter, blocks: Block[], file: string) => {
    const known = textChapters.get(chapter.key)
    const target = known ?? { chapter, blockKeys: new Set<string>() }
    if (!known) textChapters.set(chapter.key, target)
    for (const block of blocks) if (block.type !== 'heading') target.blockKeys.add(matchKey(block.text))
    return addPassages(chapter.key, blocksToPassages(blocks), file)
  }

  // Pass 1: course pages, which also carry the TOC. Fragments and Markdown wait until the TOC is known.
  for (const { file, absolute } of listing.files) {
    if (IGNORED.test(path.basename(file))) {
      ignored.push(file)
      continue
    }
    let text: string
    try {
      text = decodeText(await readFile(absolute))
    } catch (error) {
      warnings.push({ file, reason: `unreadable: ${(error as Error).message}` })
      continue
    }
    if (text.trim() === '') {
      warnings.push({ file, reason: 'empty file' })
      continue
    }
    const format = detectFormat(text)
    if (format === 'fragment') fragments.push({ file, text })
    else if (format === 'markdown') markdownPages.push({ file, text })
    else if (format === 'unknown') {
      warnings.push({ file, reason: 'unrecognised format: not a course page, a comment fragment or Markdown with a title' })
    } else {
      try {
        const page = parseCoursePage(text, options.baseUrl)
        for (const r of page.rejected) {
          warnings.push({ file, reason: `sidebar link left out of the TOC: ${r.reason}` })
          if (!rejectedHrefs.has(r.entry.href)) rejected.push(r)
          rejectedHrefs.add(r.entry.href)
        }
        for (const entry of page.toc) {
          const key = `${entry.course}\u0000${entry.path}`
          if (!tocByKey.has(key)) tocByKey.set(key, entry)
        }
        if (!page.title) {
          warnings.push({ file, reason: 'course page without a chapter title (h1#title)' })
          continue
        }
        const entry = page.entry
        const chapter: Chapter = entry
          ? chapterOfEntry(entry, true)
          : { key: `${page.course}#${page.title}`, course: page.course, position: Number.MAX_SAFE_INTEGER, number: chapterNumber(page.title), title: page.title, url: '', hasText: true }
        const added = addTextChapter(chapter, page.blocks, file)
        reports.push({ file, format, chapter: chapter.title, passages: added, comments: 0 })
        if (page.blocks.length === 0) warnings.push({ file, reason: `chapter "${chapter.title}" has no body text` })
      } catch (error) {
        warnings.push({ file, reason: `malformed course page: ${(error as Error).message}` })
      }
    }
  }

  const toc = inCourseOrder([...tocByKey.values()], options.courseOrder ?? DEFAULT_COURSE_ORDER)
  const tocByTitle = new Map(toc.map((e) => [matchKey(e.title), e]))

  // Pass 2: Markdown pages. One whose title is a course chapter's becomes that chapter's text.
  for (const { file, text } of markdownPages) {
    try {
      const page = parseMarkdownPage(text)
      if (!page.title) {
        warnings.push({ file, reason: 'Markdown without a title: add front matter `title:` or a `# heading`' })
        continue
      }
      const entry = tocByTitle.get(matchKey(page.title))
      const fm = page.frontMatter
      const course = entry?.course ?? (typeof fm.course === 'string' ? fm.course : DOCS_COURSE)
      const url = entry?.url ?? (typeof fm.url === 'string' && /^https?:\/\//.test(fm.url) ? fm.url : `${joinUrl(options.docsBaseUrl, docsPath(file))}/`)
      const chapter: Chapter = entry
        ? chapterOfEntry(entry, true, url)
        : { key: `${course}#${file}`, course, position: Number.MAX_SAFE_INTEGER, number: null, title: page.title, url, hasText: true }
      const added = addTextChapter(chapter, page.blocks, file)
      reports.push({ file, format: 'markdown', chapter: chapter.title, passages: added, comments: 0 })
      if (added === 0 && page.blocks.length === 0) warnings.push({ file, reason: `page "${page.title}" has no body text` })
    } catch (error) {
      warnings.push({ file, reason: `malformed Markdown: ${(error as Error).message}` })
    }
  }

  // Pass 3: fragments, attributed to the chapter whose paragraphs they repeat.
  for (const { file, text } of fragments) {
    const fragment = parseFragmentPage(text)
    const keys = fragment.blocks.filter((b) => b.type !== 'heading').map((b) => matchKey(b.text))
    let best: ChapterText | undefined
    let bestShared = 0
    for (const candidate of textChapters.values()) {
      const shared = keys.filter((k) => candidate.blockKeys.has(k)).length
      if (shared > bestShared) [best, bestShared] = [candidate, shared]
    }
    if (!best) {
      warnings.push({ file, reason: 'fragment matches no chapter in the corpus; add its chapter page, then re-index' })
      continue
    }
    const fresh = fragment.blocks.filter((b) => b.type === 'heading' || !best.blockKeys.has(matchKey(b.text)))
    const added = fresh.some((b) => b.type !== 'heading') ? addTextChapter(best.chapter, fresh, file) : 0
    const comments = addPassages(
      best.chapter.key,
      fragment.comments.map((c) => ({ kind: 'comment' as const, heading: c.author, text: c.text })),
      file,
    )
    reports.push({ file, format: 'fragment', chapter: best.chapter.title, passages: added, comments })
  }

  for (const report of reports) {
    if (report.passages === 0 && report.comments === 0) {
      warnings.push({ file: report.file, reason: 'yielded no new passages (all text already in the corpus, or none found)' })
    }
  }

  // A chapter counts as having text only when some passage came from it; an empty page leaves it title-only,
  // so it is still found by its title.
  const withPassages = new Set(passages.filter((p) => p.kind !== 'comment').map((p) => p.chapterKey))
  const textByKey = new Map(
    [...textChapters.values()].filter((c) => withPassages.has(c.chapter.key)).map((c) => [c.chapter.key, c.chapter]),
  )
  const chapters: Chapter[] = toc.map((entry) => textByKey.get(tocChapterKey(entry)) ?? chapterOfEntry(entry, false))
  const inToc = new Set(chapters.map((c) => c.key))
  for (const chapter of textByKey.values()) if (!inToc.has(chapter.key)) chapters.push(chapter)

  return { toc, chapters, passages, files: reports, warnings, ignored, rejected }
}
