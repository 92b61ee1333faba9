import { parseCoursePage } from '../corpus/course-page.js'
import { blocksToPassages } from '../corpus/passages.js'
import type { TocEntry } from '../corpus/types.js'
import { matchKey } from '../text/normalize.js'

export type Verdict = { ok: true; passages: number } | { ok: false; reason: string }

const HTML_TYPE = /\b(?:text\/html|application\/xhtml\+xml)\b/i

/**
 * Whether an answer is the chapter the TOC promised, judged with the corpus parser itself, so that what is
 * saved is what `npm run index` will read as that chapter: HTML, an `h1#title` equal to the TOC title after
 * normalisation, body text that yields passages, and a sidebar that lists the chapter under its course
 * (the loader files a page under the course its own sidebar names).
 *
 * A login page, an error page, a different chapter or an empty body fails with a reason. A page without
 * `h1#title` fails even when it has text: the loader does not read such a page as a chapter.
 */
export function validateChapter(page: { contentType: string; body: string }, entry: TocEntry, baseUrl: string): Verdict {
  if (page.body.trim() === '') return { ok: false, reason: 'empty body' }
  const looksHtml = /^\s*(?:<!doctype html|<html[\s>])/i.test(page.body)
  if (!(HTML_TYPE.test(page.contentType) || (page.contentType === '' && looksHtml))) {
    return { ok: false, reason: `not an HTML page (content-type "${page.contentType || 'none'}")` }
  }
  const parsed = parseCoursePage(page.body, baseUrl)
  if (!parsed.title) return { ok: false, reason: 'no h1#title: not a chapter page (a login or error page?)' }
  if (matchKey(parsed.title) !== matchKey(entry.title)) {
    return { ok: false, reason: `page title ${JSON.stringify(parsed.title)} is not the chapter's TOC title ${JSON.stringify(entry.title)}` }
  }
  const passages = blocksToPassages(parsed.blocks).length
  if (passages === 0) return { ok: false, reason: 'chapter page has no body text' }
  if (parsed.entry?.course !== entry.course) {
    return { ok: false, reason: `the page's sidebar does not list this chapter under ${entry.course}, so the index could not file it there` }
  }
  return { ok: true, passages }
}
