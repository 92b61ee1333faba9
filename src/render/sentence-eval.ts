import { answerShape } from '../library/answer-shape.js'
import { answers, holdsAnswer, type EvalQuestion } from '../library/evaluation.js'
import type { Library } from '../library/library.js'
import { excerpt } from './excerpt.js'

/** How many of a set's passage hits in the top 3 hold the answer in their text, and in how many the reply's answering sentence does. */
export interface SentenceFigures {
  hits: number
  held: number
}

/**
 * How well a reply picks the answering sentence it bolds and links to: over the top 3's passage hits that answer and
 * whose prose holds the answer (not only its heading or code), how many have it in that sentence.
 */
export function answeringSentences(library: Library, questions: readonly EvalQuestion[]): SentenceFigures {
  const figures = { hits: 0, held: 0 }
  for (const question of questions) {
    const shape = answerShape(question.q)
    for (const hit of library.search(question.q, { limit: 3 }).hits) {
      if (hit.kind === 'title' || !answers(hit, question) || !holdsAnswer(hit.text, question)) continue
      figures.hits++
      if (holdsAnswer(excerpt(hit.text, hit.terms, Infinity, shape).answer, question)) figures.held++
    }
  }
  return figures
}
