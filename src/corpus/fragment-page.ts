import * as cheerio from 'cheerio'
import type { Block } from './types.js'
import { cleanText } from './course-page.js'

/** The heading that opens the reader comments on the site ("精选留言（30）"). */
export const COMMENTS_MARKER = /精选留言/

export interface ReaderComment {
  author: string
  text: string
}

export interface FragmentPage {
  blocks: Block[]
  comments: ReaderComment[]
}

/** Paragraphs of the text before the comments: blank-line separated plain text, or HTML paragraphs. */
function fragmentBlocks(source: string): Block[] {
  if (/<(p|h[23]|ul|ol)\b/i.test(source)) {
    const $ = cheerio.load(`<div id="fragment">${source}</div>`)
    const blocks: Block[] = []
    $('#fragment')
      .find('h2, h3, p, ul, ol')
      .each((_, el) => {
        const tag = el.tagName.toLowerCase()
        const text = cleanText($(el).text())
        if (!text) return
        if (tag === 'h2' || tag === 'h3') blocks.push({ type: 'heading', level: tag === 'h2' ? 2 : 3, text })
        else if (tag === 'p') blocks.push({ type: 'paragraph', text })
        else blocks.push({ type: 'list', text })
      })
    return blocks
  }
  return source
    .split(/\n\s*\n/)
    .map((p) => cleanText(p.replace(/<[^>]+>/g, ' ')))
    .filter((text) => text.length > 0)
    .map((text) => ({ type: 'paragraph', text }))
}

/** A chapter fragment with no title: body text running straight into a "精选留言" block of reader comments. */
export function parseFragmentPage(source: string): FragmentPage {
  const markerAt = source.search(COMMENTS_MARKER)
  const bodyEnd = markerAt < 0 ? source.length : source.lastIndexOf('<', markerAt)
  const body = source.slice(0, bodyEnd < 0 ? markerAt : bodyEnd)
  const comments: ReaderComment[] = []
  if (markerAt >= 0) {
    const $ = cheerio.load(source.slice(markerAt))
    $('li').each((_, li) => {
      const author = cleanText($(li).children('span').first().text())
      const text = $(li)
        .children('div')
        .map((_, d) => cleanText($(d).text()))
        .get()
        .join('\n')
      if (text) comments.push({ author, text })
    })
  }
  return { blocks: fragmentBlocks(body), comments }
}
