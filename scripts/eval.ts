// npm run eval: hit@1, hit@3 and MRR of the search on a question set.
import '../src/cli/top-level.js'
import path from 'node:path'
import { existsSync } from 'node:fs'
import { fail, parseCli } from '../src/cli/args.js'
import { libraryConfigOrExit, openLibrary } from '../src/cli/library-cli.js'
import { PROJECT_ROOT } from '../src/config.js'
import { glossaryQuestions, readGlossary } from '../src/bench/glossary-questions.js'
import { loadCorpus } from '../src/corpus/load-corpus.js'
import { evaluate, readQuestions, type EvalFigures, type EvalQuestion } from '../src/library/evaluation.js'
import { Library } from '../src/library/library.js'

const USAGE = `Usage: npm run eval -- [--questions FILE | --set NAME] [--corpus DIR] [--glossary] [--json] [--misses]

Runs every question of a set (default tests/eval/questions.jsonl) through the search and
prints hit@1, hit@3 and MRR, overall and per kind.
  --set NAME    a set of tests/eval by name: questions, holdout, fresh-a … fresh-h (which ones
                are untuned: tests/eval/README.md)
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
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const config = libraryConfigOrExit()
const corpusDir = values.corpus === undefined ? undefined : path.resolve(values.corpus)
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
  if (values.misses) for (const m of report.misses) console.log(`miss ${m.id}: ${m.q}  expect ${JSON.stringify(m.expect)}\n   got: ${m.got.join('\n        ')}`)
}
