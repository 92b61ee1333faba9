// Every question set of tests/eval, each run against the corpus it was written on, and the committed figures
// that the eval gate in `npm test` holds them to.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { PROJECT_ROOT } from '../config.js'
import { loadCorpus } from '../corpus/load-corpus.js'
import { glossaryQuestions, readGlossary } from '../bench/glossary-questions.js'
import { evaluate, readQuestions, type EvalQuestion, type EvalReport } from './evaluation.js'
import { Library } from './library.js'

export const EVAL_DIR = path.join(PROJECT_ROOT, 'tests', 'eval')
export const BASELINE_FILE = path.join(EVAL_DIR, 'baseline.json')
export const SEED_CORPUS_DIR = path.join(PROJECT_ROOT, 'corpus')
/** The open full-text stand-in for a fetched course (see ../shared/README.md); absent on a fresh machine. */
export const DOCS_CORPUS_DIR = path.resolve(PROJECT_ROOT, '../shared/corpora/k8s-docs-zh')

/** Sets named `docs-*` are written on the k8s docs; the others on the bundled course pages. */
export type SetCorpus = 'course' | 'docs'
export const GLOSSARY_SET = 'docs-glossary'

export function corpusOfSet(name: string): SetCorpus {
  return name.startsWith('docs-') ? 'docs' : 'course'
}

/** The figures the gate compares: questions answered at rank 1 and in the top 3, by passage and by page. */
export interface SetFigures {
  questions: number
  hitAt1: number
  hitAt3: number
  pageHitAt1?: number
  pageHitAt3?: number
}

export async function setNames(): Promise<string[]> {
  const files = await readdir(EVAL_DIR)
  return files.filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -'.jsonl'.length)).sort()
}

const URLS = { baseUrl: 'https://learn.lianglianglee.com', docsBaseUrl: 'https://kubernetes.io/zh-cn/docs' }

/** One library per corpus, built on first use. */
export class SuiteLibraries {
  private readonly built = new Map<SetCorpus, Promise<Library>>()

  docsPresent(): boolean {
    return existsSync(DOCS_CORPUS_DIR)
  }

  get(corpus: SetCorpus): Promise<Library> {
    let library = this.built.get(corpus)
    if (!library) {
      const dir = corpus === 'docs' ? DOCS_CORPUS_DIR : SEED_CORPUS_DIR
      library = loadCorpus({ dir, ...URLS }).then((c) => Library.build(c))
      this.built.set(corpus, library)
    }
    return library
  }
}

/** A set of tests/eval by name: its questions. */
export function readSet(name: string): Promise<EvalQuestion[]> {
  return readQuestions(path.join(EVAL_DIR, `${name}.jsonl`))
}

/** Runs one set (or the generated glossary set) against its corpus. */
export async function runSet(name: string, libraries: SuiteLibraries): Promise<EvalReport> {
  const library = await libraries.get(corpusOfSet(name))
  const questions =
    name === GLOSSARY_SET
      ? glossaryQuestions(await readGlossary(DOCS_CORPUS_DIR), library).questions
      : await readSet(name)
  return evaluate(library, questions)
}

export function figuresOf(report: EvalReport): SetFigures {
  const count = (share: number) => Math.round(share * report.questions)
  return {
    questions: report.questions,
    hitAt1: count(report.hitAt1),
    hitAt3: count(report.hitAt3),
    ...(report.page ? { pageHitAt1: count(report.page.hitAt1), pageHitAt3: count(report.page.hitAt3) } : {}),
  }
}

export async function readBaseline(): Promise<Record<string, SetFigures>> {
  return JSON.parse(await readFile(BASELINE_FILE, 'utf8')) as Record<string, SetFigures>
}

/** How a set's figures fell short of its baseline by more than one question; empty when they hold. */
export function regressions(name: string, now: SetFigures, baseline: SetFigures): string[] {
  const lost: string[] = []
  for (const key of ['hitAt1', 'hitAt3', 'pageHitAt1', 'pageHitAt3'] as const) {
    const before = baseline[key]
    if (before === undefined) continue
    const after = now[key] ?? 0
    if (before - after > 1) lost.push(`${name}: ${key} ${after}/${now.questions}, was ${before}/${baseline.questions}`)
  }
  return lost
}
