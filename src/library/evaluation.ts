import { readFile } from 'node:fs/promises'
import type { Library, SearchHit } from './library.js'
import { normalize } from '../text/normalize.js'
import { passageWithCode } from '../corpus/passages.js'

export interface EvalQuestion {
  id: string
  kind: string
  q: string
  /** Phrases that one hit (chapter title + heading + text, or its URL) must all contain. */
  expect: string[]
  /** Alternatively, any of these chapter URLs is a right answer (generated glossary questions). */
  expectUrls?: string[]
  /** The corpus-relative file that answers (`concepts/workloads/pods/_index.md`): a hit must also come from it. */
  page?: string
}

export interface EvalFigures {
  questions: number
  hitAt1: number
  hitAt3: number
  mrr: number
}

export interface EvalReport extends EvalFigures {
  perKind: Record<string, EvalFigures>
  /** For sets whose questions name their page: whether the right page (any passage of it) ranks, overall and per kind. */
  page?: EvalFigures & { perKind: Record<string, EvalFigures> }
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

/** Whether a hit comes from the page a question names (always, for questions that name none). */
export function onPage(hit: SearchHit, question: EvalQuestion): boolean {
  return question.page === undefined || hit.chapter.key.endsWith(`#${question.page}`)
}

export function answers(hit: SearchHit, question: EvalQuestion): boolean {
  if (!onPage(hit, question)) return false
  if (question.expectUrls?.includes(hit.chapter.url)) return true
  return holdsAnswer(`${hit.chapter.title}\n${hit.heading}\n${passageWithCode(hit)}`, question)
}

/** Whether a text holds every phrase a question expects (width, case and spaces ignored); never for none. */
export function holdsAnswer(text: string, question: EvalQuestion): boolean {
  if (question.expect.length === 0) return false
  const haystack = squash(text)
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
  const passage = new RankTally()
  const page = new RankTally()
  const misses: EvalReport['misses'] = []
  for (const question of questions) {
    const { hits } = library.search(question.q, { limit: depth })
    const rank = passage.add(question.kind, hits.findIndex((hit) => answers(hit, question)))
    if (question.page !== undefined) page.add(question.kind, hits.findIndex((hit) => onPage(hit, question)))
    if (rank === null || rank > 3) {
      misses.push({ id: question.id, q: question.q, expect: question.expect, got: hits.slice(0, 3).map((h) => `${h.chapter.title} | ${h.text.slice(0, 40)}`) })
    }
  }
  return { ...passage.report(), ...(page.count > 0 ? { page: page.report() } : {}), misses }
}

/** The ranks of the first right hit, overall and per kind of question. */
class RankTally {
  private readonly ranks: (number | null)[] = []
  private readonly byKind = new Map<string, (number | null)[]>()

  get count(): number {
    return this.ranks.length
  }

  /** Records a right hit's index among the hits (-1: none) and returns its rank. */
  add(kind: string, index: number): number | null {
    const rank = index < 0 ? null : index + 1
    this.ranks.push(rank)
    this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), rank])
    return rank
  }

  report(): EvalFigures & { perKind: Record<string, EvalFigures> } {
    return { ...figures(this.ranks), perKind: Object.fromEntries([...this.byKind].map(([k, r]) => [k, figures(r)])) }
  }
}
