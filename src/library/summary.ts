import { splitSentences } from '../corpus/passages.js'

/** Greetings and sign-posts that open a chapter without saying anything about it. */
const FILLER = /^(?:你好[，,]?\s*我是\S{1,6}[。.！!]?|大家好[。！!]?)\s*/

/**
 * An extractive summary: the first substantive paragraphs, cut at a sentence end so that it never stops
 * mid-sentence, and never longer than maxChars.
 */
export function summarize(paragraphs: readonly string[], maxChars: number): string {
  const sentences: string[] = []
  let length = 0
  for (const paragraph of paragraphs) {
    const text = paragraph.replace(FILLER, '').replace(/\s*\n\s*/g, ' ').trim()
    if (text.length < 10) continue
    for (const sentence of splitSentences(text)) {
      const s = sentence.trim()
      if (length + s.length > maxChars) return sentences.length > 0 ? sentences.join('') : `${s.slice(0, maxChars - 1)}…`
      sentences.push(s)
      length += s.length
    }
    if (length >= maxChars / 2) break
  }
  return sentences.join('')
}
