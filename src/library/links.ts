import type { Chapter } from '../corpus/types.js'

/** A chapter URL as a browser and Discord accept it: the stored URL is decoded (spaces, Chinese) for reading. */
export function chapterLink(chapter: Pick<Chapter, 'url'>): string {
  if (!chapter.url) return ''
  // Stored URLs are decoded for reading; a "?" or "#" in them is part of a title, not a query or fragment.
  const encode = (url: string) => encodeURI(url).replace(/\?/g, '%3F').replace(/#/g, '%23')
  try {
    return new URL(encode(decodeURIComponent(chapter.url))).href
  } catch {
    return encode(chapter.url)
  }
}

// In a text directive, "-", "," and "&" have meanings of their own and must be percent-encoded too.
function encodeFragmentText(text: string): string {
  return encodeURIComponent(text).replace(/-/g, '%2D').replace(/,/g, '%2C').replace(/&/g, '%26')
}

/** How much of a paragraph's opening the deep link quotes: enough to be unique, short enough to match. */
const FRAGMENT_CHARS = 40

/**
 * A link that scrolls the chapter page to a paragraph and highlights it (a URL text fragment). It quotes the
 * paragraph's first line up to a punctuation mark, since the page shows each paragraph as its own block.
 */
export function passageLink(chapter: Pick<Chapter, 'url'>, text: string): string {
  const base = chapterLink(chapter)
  if (!base) return ''
  const firstLine = text.split('\n')[0]!.trim()
  let quote = firstLine.slice(0, FRAGMENT_CHARS)
  if (firstLine.length > FRAGMENT_CHARS) {
    const cut = Math.max(...[...'，。；：！？,;:!?'].map((p) => quote.lastIndexOf(p)))
    if (cut >= 8) quote = quote.slice(0, cut)
  }
  quote = quote.trim()
  return quote ? `${base.split('#')[0]}#:~:text=${encodeFragmentText(quote)}` : base
}
