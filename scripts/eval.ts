// npm run eval: hit@1, hit@3 and MRR of the search on a question set.
import '../src/cli/top-level.js'
import path from 'node:path'
import { existsSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { fail, parseCli } from '../src/cli/args.js'
import { libraryConfigOrExit, openLibrary } from '../src/cli/library-cli.js'
import { PROJECT_ROOT } from '../src/config.js'
import { glossaryQuestions, readGlossary } from '../src/bench/glossary-questions.js'
import { loadCorpus } from '../src/corpus/load-corpus.js'
import { evaluate, readQuestions, type EvalFigures, type EvalQuestion, type EvalReport } from '../src/library/evaluation.js'
import { BASELINE_FILE, corpusOfSet, DOCS_CORPUS_DIR, figuresOf, GLOSSARY_SET, readSet, runSet, setNames, SuiteLibraries, type SetFigures } from '../src/library/eval-suite.js'
import { Library } from '../src/library/library.js'
import { mergeDocs } from '../src/library/merged-docs.js'
import { overrideWeight } from '../src/library/ranking-weights.js'
import { answeringSentences, type SentenceFigures } from '../src/render/sentence-eval.js'

const USAGE = `Usage: npm run eval -- [--questions FILE | --set NAME | --all [--baseline | --merged | --sentences]] [--corpus DIR] [--glossary] [--json] [--misses]

Runs every question of a set (default tests/eval/questions.jsonl) through the search and
prints hit@1, hit@3 and MRR, overall and per kind. For sets whose questions name their page
(the docs-* sets), a passage hit must come from that page and hold the answer, and the
page's own hit@1 / hit@3 are printed too.
  --set NAME    a set of tests/eval by name: questions, holdout, fresh-a … fresh-h on the
                bundled course pages; docs-a … on ../shared/corpora/k8s-docs-zh (which ones
                are untuned: tests/eval/README.md)
  --all         every set of tests/eval plus the generated glossary set, each on its own
                corpus, as one table (docs sets are skipped when ../shared is absent)
  --ablate NAME=VALUE  set a ranking weight of src/library/ranking-weights.ts for this run
                (NAME alone: 0, which turns its mechanism off), for the ablation table
  --baseline    with --all: write the figures to tests/eval/baseline.json, which the eval
                gate in npm test holds every set to
  --merged      with --all: the docs sets only, on the docs merged into chapters of a course
                chapter's length (each folder's pages, 8 at a time); page figures are then
                chapter figures, as the course's own questions count them
  --sentences   with --all: per set, how often a reply's answering sentence (the one it
                bolds and links to) holds the answer, over the top 3's passage hits whose
                text holds it
  --corpus DIR  build the library in memory from DIR instead of opening the saved index
                (nothing is written)
  --glossary    generate "什么是<title>？" questions from reference/glossary/*.md of the
                corpus (right answers: the entry's page or its full_link page), e.g.
                npm run eval -- --corpus ../shared/corpora/k8s-docs-zh --glossary
  --misses      list questions whose answer is not in the top 3
  --json        print the report as one JSON object`

const { values } = parseCli(
  {
    questions: { type: 'string' },
    set: { type: 'string' },
    json: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    glossary: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    ablate: { type: 'string', multiple: true },
    baseline: { type: 'boolean', default: false },
    merged: { type: 'boolean', default: false },
    sentences: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
for (const setting of values.ablate ?? []) {
  const [name = '', value = '0'] = setting.split('=')
  if (!Number.isFinite(Number(value))) fail(`--ablate: "${value}" is not a number`)
  try {
    overrideWeight(name, Number(value))
  } catch (error) {
    fail(`--ablate: ${(error as Error).message}`)
  }
}
if (values.baseline && values.ablate) fail('--baseline records the real weights: leave out --ablate')
if (values.baseline && !values.all) fail('--baseline goes with --all')
if (values.merged && !values.all) fail('--merged goes with --all')
if (values.merged && values.baseline) fail('--baseline records the sets on their own corpora: leave out --merged')
if (values.sentences && (!values.all || values.baseline || values.merged)) fail('--sentences goes with --all alone')
// No process.exit after printing: it would cut a long report short when stdout is a pipe.
if (values.all && values.sentences) await evalSentences(values.json)
else if (values.all) await evalAll(values.baseline, values.json, values.merged)
else await evalOne()

async function evalOne(): Promise<void> {
  const config = libraryConfigOrExit()
  const setOnDocs = values.set !== undefined && corpusOfSet(values.set) === 'docs'
  const corpusDir = values.corpus === undefined ? (setOnDocs ? DOCS_CORPUS_DIR : undefined) : path.resolve(values.corpus)
  if (corpusDir !== undefined && !existsSync(corpusDir)) fail(`--corpus: folder ${corpusDir} does not exist`)
  const corpus = corpusDir === undefined ? undefined : await loadCorpus({ dir: corpusDir, baseUrl: config.courseBaseUrl, docsBaseUrl: config.docsBaseUrl })
  const library = corpus ? await Library.build(corpus) : await openLibrary(config)
  if (values.set !== undefined && !/^[\w-]+$/.test(values.set)) fail(`--set: "${values.set}" is not a set name (e.g. fresh-h)`)
  let file = values.questions ?? path.join(PROJECT_ROOT, 'tests', 'eval', `${values.set ?? 'questions'}.jsonl`)
  if (!existsSync(file)) fail(`no question set at ${file}`)
  let questions: EvalQuestion[]
  if (values.glossary) {
    const dir = corpusDir ?? config.corpusDir
    const glossary = glossaryQuestions(await readGlossary(dir), corpus ?? library)
    if (glossary.questions.length === 0) fail(`--glossary: no reference/glossary/*.md pages found in ${dir}`)
    file = path.join(dir, 'reference', 'glossary')
    questions = glossary.questions
    const notes = [`${glossary.entries} glossary entries, ${glossary.questions.length} questions`]
    if (glossary.missingPages.length > 0) notes.push(`${glossary.missingPages.length} entries not in the library`)
    if (glossary.unresolvedLinks.length > 0) notes.push(`${glossary.unresolvedLinks.length} full_link pages outside the corpus (only the entry's page counts)`)
    process.stderr.write(`${notes.join('; ')}\n`)
  } else questions = await readQuestions(file)
  const report = evaluate(library, questions)
  if (values.json) {
    console.log(JSON.stringify(report))
  } else {
    const row = (name: string, f: EvalFigures) =>
      `${name.padEnd(10)} ${String(f.questions).padStart(4)}  ${f.hitAt1.toFixed(3)}  ${f.hitAt3.toFixed(3)}  ${f.mrr.toFixed(3)}`
    console.log(`questions: ${path.relative(process.cwd(), file)}`)
    console.log(`${'kind'.padEnd(10)} ${'n'.padStart(4)}  hit@1  hit@3  MRR`)
    for (const [kind, f] of Object.entries(report.perKind)) console.log(row(kind, f))
    console.log(row('all', report))
    if (report.page) {
      console.log(`page: the right page anywhere in the hits`)
      for (const [kind, f] of Object.entries(report.page.perKind)) console.log(row(kind, f))
      console.log(row('all', report.page))
    }
    if (values.misses) for (const m of report.misses) console.log(`miss ${m.id}: ${m.q}  expect ${JSON.stringify(m.expect)}\n   got: ${m.got.join('\n        ')}`)
  }
}

/**
 * Every set on its own corpus, as one table; with `write`, the figures become the gate's baseline. With `merged`, the
 * docs sets on the docs merged into course-length chapters instead.
 */
async function evalAll(write: boolean, json: boolean, merged: boolean): Promise<void> {
  const libraries = new SuiteLibraries()
  if (merged && !libraries.docsPresent()) fail(`--merged needs ${DOCS_CORPUS_DIR}`)
  const names = merged ? (await setNames()).filter((name) => corpusOfSet(name) === 'docs') : runnable([...(await setNames()), GLOSSARY_SET], libraries)
  const figures: Record<string, SetFigures> = {}
  const reports: Record<string, EvalReport> = {}
  const run = merged ? await mergedRunner() : (name: string) => runSet(name, libraries)
  for (const name of names) {
    reports[name] = await run(name)
    figures[name] = figuresOf(reports[name])
  }
  if (json) console.log(JSON.stringify(reports))
  else {
    const share = (n: number | undefined, of: number) => (n === undefined ? '    -' : (n / of).toFixed(3))
    console.log(`${'set'.padEnd(14)} ${'n'.padStart(4)}  hit@1  hit@3  page@1 page@3`)
    for (const [name, f] of Object.entries(figures)) {
      console.log(`${name.padEnd(14)} ${String(f.questions).padStart(4)}  ${share(f.hitAt1, f.questions)}  ${share(f.hitAt3, f.questions)}  ${share(f.pageHitAt1, f.questions)}  ${share(f.pageHitAt3, f.questions)}`)
    }
  }
  if (write) {
    if (!libraries.docsPresent()) fail(`--baseline needs ${DOCS_CORPUS_DIR}: without it the docs sets would drop out of the baseline`)
    await writeFile(BASELINE_FILE, `${JSON.stringify(figures, null, 2)}\n`)
    process.stderr.write(`wrote ${path.relative(process.cwd(), BASELINE_FILE)}\n`)
  }
}

/** Runs a docs set on the docs merged into course-length chapters, each question's page replaced by its chapter. */
async function mergedRunner(): Promise<(name: string) => Promise<EvalReport>> {
  const config = libraryConfigOrExit()
  const { dir, chapterOf } = await mergeDocs(DOCS_CORPUS_DIR)
  let library: Library
  try {
    library = await Library.build(await loadCorpus({ dir, baseUrl: config.courseBaseUrl, docsBaseUrl: config.docsBaseUrl }))
  } finally {
    await rm(dir, { recursive: true })
  }
  return async (name) => {
    const questions = await readSet(name)
    return evaluate(library, questions.map((q) => ({ ...q, page: q.page === undefined ? undefined : (chapterOf.get(q.page) ?? q.page) })))
  }
}

/** Every set (but the generated glossary's one-line answers): how often a reply's answering sentence holds the answer. */
async function evalSentences(json: boolean): Promise<void> {
  const libraries = new SuiteLibraries()
  const figures: Record<string, SentenceFigures> = {}
  for (const name of runnable(await setNames(), libraries)) {
    figures[name] = answeringSentences(await libraries.get(corpusOfSet(name)), await readSet(name))
  }
  if (json) return console.log(JSON.stringify(figures))
  console.log(`${'set'.padEnd(14)} ${'hits'.padStart(5)}  held  share`)
  const all = { hits: 0, held: 0 }
  for (const [name, f] of Object.entries(figures)) {
    all.hits += f.hits
    all.held += f.held
    console.log(`${name.padEnd(14)} ${String(f.hits).padStart(5)} ${String(f.held).padStart(5)}  ${(f.held / (f.hits || 1)).toFixed(3)}`)
  }
  console.log(`${'all'.padEnd(14)} ${String(all.hits).padStart(5)} ${String(all.held).padStart(5)}  ${(all.held / (all.hits || 1)).toFixed(3)}`)
}

/** The sets that can run here: the course sets always, the docs sets where ../shared is present. */
function runnable(names: readonly string[], libraries: SuiteLibraries): string[] {
  return names.filter((name) => corpusOfSet(name) === 'course' || libraries.docsPresent())
}
