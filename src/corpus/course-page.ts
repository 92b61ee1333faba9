import * as cheerio from 'cheerio'
import type { AnyNode, Element } from 'domhandler'
import { matchKey } from '../text/normalize.js'
import type { Block, TocEntry } from './types.js'

export interface CoursePage {
  course: string
  title: string
  /** The page's own TOC entry, when its title is in the sidebar. */
  entry: TocEntry | undefined
  toc: TocEntry[]
  blocks: Block[]
}

const COURSE_SEGMENT = '专栏'

/** Collapse the whitespace that HTML source formatting leaves inside text. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim()
}

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

/** The course a sidebar href belongs to: the path segment after /专栏/. */
function courseOfPath(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean)
  const at = segments.indexOf(COURSE_SEGMENT)
  return at >= 0 ? segments[at + 1] : undefined
}

export function parseToc($: cheerio.CheerioAPI, baseUrl: string): TocEntry[] {
  const entries: TocEntry[] = []
  const positions = new Map<string, number>()
  $('a.menu-item').each((_, el) => {
    const href = $(el).attr('href') ?? ''
    let path: string
    try {
      path = safeDecode(new URL(href, baseUrl).pathname)
    } catch {
      path = safeDecode(href)
    }
    const course = courseOfPath(path)
    if (!course) return
    const title = cleanText($(el).text()).replace(/\.md$/i, '')
    const position = (positions.get(course) ?? 0) + 1
    positions.set(course, position)
    entries.push({ course, position, number: chapterNumber(title), title, url: joinUrl(baseUrl, path), path, href })
  })
  return entries
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

function listText($: cheerio.CheerioAPI, list: Element): string {
  return $(list)
    .children('li')
    .map((_, li) => `- ${cleanText($(li).text())}`)
    .get()
    .filter((line) => line.length > 2)
    .join('\n')
}

/** Body blocks in reading order. Only the chapter body is read, so sidebar, navigation and copyright never enter. */
export function extractBlocks($: cheerio.CheerioAPI, root: cheerio.Cheerio<AnyNode>): Block[] {
  const blocks: Block[] = []
  const walk = (nodes: cheerio.Cheerio<AnyNode>) => {
    nodes.each((_, node) => {
      if (node.type !== 'tag') return
      const el = node as Element
      const tag = el.tagName.toLowerCase()
      if (['script', 'style', 'nav', 'noscript', 'iframe', 'form', 'button'].includes(tag)) return
      if (/^h[1-6]$/.test(tag)) {
        const text = cleanText($(el).text())
        if (text && tag !== 'h1') blocks.push({ type: 'heading', level: tag === 'h2' ? 2 : 3, text })
      } else if (tag === 'p' || tag === 'blockquote') {
        const text = cleanText($(el).text())
        if (text) blocks.push({ type: 'paragraph', text })
      } else if (tag === 'ul' || tag === 'ol') {
        const text = listText($, el)
        if (text) blocks.push({ type: 'list', text })
      } else if (tag === 'pre') {
        const text = $(el).text().trim()
        if (text) blocks.push({ type: 'code', text })
      } else if (tag === 'table') {
        const text = $(el)
          .find('tr')
          .map((_, tr) => cleanText($(tr).text()))
          .get()
          .join('\n')
        if (text) blocks.push({ type: 'paragraph', text })
      } else {
        walk($(el).contents())
      }
    })
  }
  walk(root.contents())
  return blocks
}

/** A course page in the site's format: `h1#title`, a sidebar of `a.menu-item`, and the body after the title. */
export function parseCoursePage(html: string, baseUrl: string): CoursePage {
  const $ = cheerio.load(html)
  const title = cleanText($('h1#title').first().text())
  const toc = parseToc($, baseUrl)
  const key = matchKey(title)
  const entry = toc.find((e) => matchKey(e.title) === key)
  const courses = [...new Set(toc.map((e) => e.course))]
  const course = entry?.course ?? courses[0] ?? ''
  const post = $('div.book-post').first()
  const body = post.length > 0 ? post : $('body')
  // The title and the empty tip paragraph sit beside the body; the body itself is what follows them.
  const blocks = extractBlocks($, body.clone().find('h1#title, p#tip').remove().end())
  return { course, title, entry, toc, blocks }
}
