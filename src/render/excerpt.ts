import type { CodeSample } from '../corpus/types.js'
import { sentencesOf } from '../corpus/passages.js'
import { hasAnswerShape, type AnswerShape } from '../library/answer-shape.js'
import { ANSWER_SENTENCE } from '../library/ranking-weights.js'
import { normalize } from '../text/normalize.js'
import { fit } from './limits.js'
import { escapeText, highlight } from './markdown.js'

/** A code block shows at most this many lines: enough to recognise the command or manifest. */
const CODE_LINES = 6
/** Below this much room for a passage, its code is left out rather than cut. */
const CODE_MIN_BUDGET = 160

/** How many of the question's terms a piece of text holds (terms are normalised; so is the text, for matching). */
function termsIn(text: string, terms: readonly string[]): number {
  const normalized = normalize(text)
  return terms.filter((t) => t.length >= 2 && normalized.includes(t)).length
}

export interface Excerpt {
  /** Discord markdown, escaped. */
  markdown: string
  /** The answering sentence as written (no list marker), for a link that scrolls to it. */
  answer: string
}

/**
 * A passage as a reply shows it, in at most about `budget` characters: whole sentences around the answering one, which
 * is bold; the others have the terms bold. "…" marks text left out. The answering sentence is the one that holds the
 * most of the question's terms, counting a share of the previous sentence's and the answer's shape where the question
 * tells one (ANSWER_SENTENCE).
 */
export function excerpt(text: string, terms: readonly string[], budget: number, shape?: AnswerShape): Excerpt {
  const sentences = sentencesOf(text)
  if (sentences.length === 0) return { markdown: '', answer: '' }
  const held = sentences.map((s) => termsIn(s, terms))
  const scores = sentences.map((s, i) => held[i]! + ANSWER_SENTENCE.PREVIOUS * (held[i - 1] ?? 0) + (hasAnswerShape(s, shape) ? ANSWER_SENTENCE.SHAPE : 0))
  let best = 0
  for (let i = 1; i < sentences.length; i++) if (scores[i]! > scores[best]!) best = i
  let from = best
  let to = best + 1
  let length = sentences[best]!.length
  // Grow by whole sentences, the one after first (an answer goes on more often than it is led up to).
  for (let grew = true; grew; ) {
    grew = false
    for (const side of ['after', 'before'] as const) {
      const next = side === 'after' ? sentences[to] : sentences[from - 1]
      if (next === undefined || length + next.length > budget) continue
      length += next.length
      if (side === 'after') to++
      else from--
      grew = true
    }
  }
  const answer = sentences[best]!
  const shown = (pieces: string[]) => highlight(pieces.join(''), terms)
  const bold = answer.trim() === '' ? '' : `**${escapeText(fit(answer.trim(), Math.max(budget, 40)))}**${answer.endsWith('\n') ? '\n' : ''}`
  const markdown = [from > 0 ? '… ' : '', shown(sentences.slice(from, best)), bold, shown(sentences.slice(best + 1, to)), to < sentences.length ? ' …' : ''].join('')
  return { markdown, answer: answer.trim().replace(/^[-*]\s+/, '') }
}

/**
 * The code block that best goes with a passage's answer, as a fenced block of a few lines with its language, or ''
 * when there is none or no room for it. The code is shown as written: only a fence inside it is broken up.
 */
export function codeBlock(code: readonly CodeSample[] | undefined, terms: readonly string[], budget: number): string {
  if (!code || code.length === 0 || budget < CODE_MIN_BUDGET) return ''
  let best = code[0]!
  for (const sample of code) if (termsIn(sample.text, terms) > termsIn(best.text, terms)) best = sample
  const lines = best.text.split('\n')
  let shown = lines.slice(0, CODE_LINES).join('\n')
  shown = fit(shown, Math.floor(budget / 2))
  if (lines.length > CODE_LINES && !shown.endsWith('…')) shown += '\n…'
  const lang = /^[\w+-]{1,20}$/.test(best.lang) ? best.lang : ''
  return `\`\`\`${lang}\n${shown.replace(/`{3,}/g, (fence) => fence.split('').join('\u200b'))}\n\`\`\``
}
