import { readFile } from 'node:fs/promises'
import type { Library, SearchHit } from './library.js'
import { normalize } from '../text/normalize.js'

export interface EvalQuestion {
  id: string
  kind: string
  q: string
  /** Phrases that one hit (chapter title + heading + text, or its URL) must all contain. */
  expect: string[]
  /** Alternatively, any of these chapter URLs is a right answer (generated glossary questions). */
  expectUrls?: string[]
}

export interface EvalFigures {
  questions: number
  hitAt1: number
  hitAt3: number
  mrr: number
}

export interface EvalReport extends EvalFigures {
  perKind: Record<string, EvalFigures>
  misses: { id: string; q: string; expect: string[]; got: string[] }[]
}

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  const questions: EvalQuestion[] = []
  ;(await readFile(file, 'utf8')).split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    try {
      questions.push(JSON.parse(line) as EvalQuestion)
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not a JSON object (${(error as Error).message})`)
    }
  })
  return questions
}

const squash = (text: string) => normalize(text).replace(/\s+/g, '')

export function answers(hit: SearchHit, question: EvalQuestion): boolean {
  if (question.expectUrls?.includes(hit.chapter.url)) return true
  if (question.expect.length === 0) return false
  const haystack = squash(`${hit.chapter.title}\n${hit.heading}\n${hit.text}`)
  return question.expect.every((phrase) => haystack.includes(squash(phrase)))
}

function figures(ranks: (number | null)[]): EvalFigures {
  const n = ranks.length || 1
  return {
    questions: ranks.length,
    hitAt1: ranks.filter((r) => r === 1).length / n,
    hitAt3: ranks.filter((r) => r !== null && r <= 3).length / n,
    mrr: ranks.reduce<number>((sum, r) => sum + (r === null ? 0 : 1 / r), 0) / n,
  }
}

/** hit@1, hit@3 and MRR over a question set, overall and per kind of question. */
export function evaluate(library: Library, questions: readonly EvalQuestion[], depth = 10): EvalReport {
  const ranks: (number | null)[] = []
  const byKind = new Map<string, (number | null)[]>()
  const misses: EvalReport['misses'] = []
  for (const question of questions) {
    const { hits } = library.search(question.q, { limit: depth })
    const at = hits.findIndex((hit) => answers(hit, question))
    const rank = at < 0 ? null : at + 1
    ranks.push(rank)
    byKind.set(question.kind, [...(byKind.get(question.kind) ?? []), rank])
    if (rank === null || rank > 3) {
      misses.push({ id: question.id, q: question.q, expect: question.expect, got: hits.slice(0, 3).map((h) => `${h.chapter.title} | ${h.text.slice(0, 40)}`) })
    }
  }
  return { ...figures(ranks), perKind: Object.fromEntries([...byKind].map(([k, r]) => [k, figures(r)])), misses }
}
