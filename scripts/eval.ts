// npm run eval: hit@1, hit@3 and MRR of the search on a question set.
import path from 'node:path'
import { parseCli } from '../src/cli/args.js'
import { openLibrary } from '../src/cli/library-cli.js'
import { PROJECT_ROOT } from '../src/config.js'
import { evaluate, readQuestions, type EvalFigures } from '../src/library/evaluation.js'

const USAGE = `Usage: npm run eval -- [--questions FILE] [--holdout] [--json] [--misses]

Runs every question of a set (default tests/eval/questions.jsonl) through the search and
prints hit@1, hit@3 and MRR, overall and per kind.
  --holdout     use the untuned set tests/eval/holdout.jsonl
  --misses      list questions whose answer is not in the top 3
  --json        print the report as one JSON object`

const { values } = parseCli(
  {
    questions: { type: 'string' },
    holdout: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const file = values.questions ?? path.join(PROJECT_ROOT, 'tests', 'eval', values.holdout ? 'holdout.jsonl' : 'questions.jsonl')
const library = await openLibrary()
const report = evaluate(library, await readQuestions(file))
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
