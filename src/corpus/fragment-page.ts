import { BlockCollector, cleanText, streamHtml, TextCapture } from './html-stream.js'
import type { Block } from './types.js'

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
    const blocks = new BlockCollector()
    streamHtml(source, { open: (name, attribs, depth) => blocks.open(name, depth, false, attribs), text: (t) => blocks.text(t), close: (_, depth) => blocks.close(depth) })
    return blocks.blocks
  }
  return source
    .split(/\n\s*\n/)
    .map((p) => cleanText(p.replace(/<[^<>]+>/g, ' ')))
    .filter((text) => text.length > 0)
    .map((text) => ({ type: 'paragraph', text }))
}

/** Each `li` of the comments: its first child `span` is the author, its child `div`s the text. */
function readComments(html: string): ReaderComment[] {
  const comments: ReaderComment[] = []
  let itemDepth = -1
  let author: string | undefined
  let parts: string[] = []
  const span = new TextCapture()
  const div = new TextCapture()
  streamHtml(html, {
    open(name, _, depth) {
      if (itemDepth < 0) {
        if (name === 'li') [itemDepth, author, parts] = [depth, undefined, []]
      } else if (depth === itemDepth + 1) {
        if (name === 'span' && author === undefined && !span.active) span.start(depth)
        else if (name === 'div') div.start(depth)
      }
    },
    text(text) {
      span.add(text)
      div.add(text)
    },
    close(_, depth) {
      const a = span.end(depth)
      if (a !== undefined) author = cleanText(a)
      const d = div.end(depth)
      if (d !== undefined) parts.push(cleanText(d))
      if (depth === itemDepth) {
        itemDepth = -1
        const text = parts.join('\n')
        if (text) comments.push({ author: author ?? '', text })
      }
    },
  })
  return comments
}

/** A chapter fragment with no title: body text running straight into a "精选留言" block of reader comments. */
export function parseFragmentPage(source: string): FragmentPage {
  const markerAt = source.search(COMMENTS_MARKER)
  const bodyEnd = markerAt < 0 ? source.length : source.lastIndexOf('<', markerAt)
  const body = source.slice(0, bodyEnd < 0 ? markerAt : bodyEnd)
  return { blocks: fragmentBlocks(body), comments: markerAt >= 0 ? readComments(source.slice(markerAt)) : [] }
}
