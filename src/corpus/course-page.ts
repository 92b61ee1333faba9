import { matchKey } from '../text/normalize.js'
import { BlockCollector, cleanText, hasClass, streamHtml, TextCapture } from './html-stream.js'
import type { Block, TocEntry } from './types.js'

export { cleanText } from './html-stream.js'

export interface CoursePage {
  course: string
  title: string
  /** The page's own TOC entry, when its title is in the sidebar. */
  entry: TocEntry | undefined
  toc: TocEntry[]
  blocks: Block[]
  /** Sidebar entries that name no chapter on the site (off-site, traversal): left out of `toc`, with why. */
  rejected: { entry: TocEntry; reason: string }[]
}

const COURSE_SEGMENT = '专栏'

export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** "13 为什么我们需要Pod？" → "13"; "特别放送 …" → null. */
export function chapterNumber(title: string): string | null {
  return /^\s*(\d{1,3})(?=\s|$|[^\d])/.exec(title.normalize('NFKC'))?.[1] ?? null
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

/** The course a sidebar path belongs to: the segment after /专栏/. */
function courseOfPath(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean)
  const at = segments.indexOf(COURSE_SEGMENT)
  return at >= 0 ? segments[at + 1] : undefined
}

/**
 * Why a sidebar entry names no chapter on the site, or undefined when it does. The sidebar is data from the
 * web: its href must stay on the base URL's origin, and its decoded path must not climb out of the course
 * (`..%2F` decodes to `../`) or smuggle NUL and other control characters. The corpus leaves such entries out
 * of the TOC; the fetcher never requests them.
 */
export function sidebarLinkProblem(entry: Pick<TocEntry, 'href' | 'path'>, base: URL): string | undefined {
  // JSON quoting shows control characters as escapes instead of sending them to the terminal.
  const href = JSON.stringify(entry.href)
  let target: URL
  try {
    target = new URL(entry.href, base)
  } catch {
    return `href ${href} is not a valid URL`
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return `href ${href} is not an http(s) link`
  if (target.origin !== base.origin) return `href ${href} is off-site (only ${base.origin} is fetched)`
  if (entry.path.split('/').some((segment) => segment === '.' || segment === '..')) {
    return `href ${href} decodes to a path with ".." or "." segments`
  }
  if (/[\p{Cc}\\]/u.test(entry.path)) return `href ${href} decodes to a path with control characters or backslashes`
  return undefined
}

/**
 * A course page in the site's format: `h1#title`, a sidebar of `a.menu-item`, and the body in `div.book-post`
 * (else the whole body) after the title. Only the body is read as text, so sidebar, navigation and copyright
 * never enter. One pass over the page, in time and memory linear in its size.
 */
export function parseCoursePage(html: string, baseUrl: string): CoursePage {
  const title = new TextCapture()
  let titleText: string | undefined
  const link = new TextCapture()
  let href = ''
  const links: { href: string; text: string }[] = []
  // The first div.book-post is the body; until one is seen, the whole page's blocks are kept in case none is.
  const page = new BlockCollector()
  const post = new BlockCollector()
  let postDepth = -1
  let postSeen = false

  streamHtml(html, {
    open(name, attribs, depth) {
      const isTitle = name === 'h1' && attribs.id === 'title'
      if (isTitle && titleText === undefined && !title.active) title.start(depth)
      if (name === 'a' && !link.active && hasClass(attribs, 'menu-item')) {
        href = attribs.href ?? ''
        link.start(depth)
      }
      if (name === 'div' && !postSeen && hasClass(attribs, 'book-post')) {
        postSeen = true
        postDepth = depth
        return
      }
      const excluded = isTitle || (name === 'p' && attribs.id === 'tip')
      page.open(name, depth, excluded, attribs)
      if (postDepth >= 0) post.open(name, depth, excluded, attribs)
    },
    text(text) {
      title.add(text)
      link.add(text)
      page.text(text)
      if (postDepth >= 0) post.text(text)
    },
    close(_name, depth) {
      const t = title.end(depth)
      if (t !== undefined) titleText = cleanText(t)
      const l = link.end(depth)
      if (l !== undefined) links.push({ href, text: l })
      if (depth === postDepth) postDepth = -1
      else if (postDepth >= 0) post.close(depth)
      page.close(depth)
    },
  })

  const toc: TocEntry[] = []
  const rejected: CoursePage['rejected'] = []
  const positions = new Map<string, number>()
  const base = new URL(baseUrl)
  for (const { href, text } of links) {
    let path: string
    try {
      path = safeDecode(new URL(href, baseUrl).pathname)
    } catch {
      path = safeDecode(href)
    }
    const course = courseOfPath(path)
    if (!course) continue // the site's own navigation ("首页", "上一级")
    const entryTitle = cleanText(text).replace(/\.md$/i, '')
    const position = (positions.get(course) ?? 0) + 1
    const entry = { course, position, number: chapterNumber(entryTitle), title: entryTitle, url: joinUrl(baseUrl, path), path, href }
    positions.set(course, position)
    const problem = sidebarLinkProblem(entry, base)
    if (problem) rejected.push({ entry, reason: problem })
    else toc.push(entry)
  }
  const pageTitle = titleText ?? ''
  const key = matchKey(pageTitle)
  const entry = toc.find((e) => matchKey(e.title) === key)
  const course = entry?.course ?? toc[0]?.course ?? ''
  return { course, title: pageTitle, entry, toc, blocks: postSeen ? post.blocks : page.blocks, rejected }
}
