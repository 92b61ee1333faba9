// npm run ask -- "问题": the top answers for a question, readable or as JSON lines.
import '../src/cli/top-level.js'
import { createInterface } from 'node:readline'
import { fail, parseCli } from '../src/cli/args.js'
import { openLibrary } from '../src/cli/library-cli.js'
import type { SearchResult } from '../src/library/library.js'
import { chapterLink, passageLink } from '../src/library/links.js'
import { passageWithCode } from '../src/corpus/passages.js'

const USAGE = `Usage: npm run ask -- [options] ["question" ...]

Prints the best passages of the course for each question. With no question, reads
questions from standard input, one per line.

Options:
  --limit N        how many answers (default 3, at most 50)
  --course NAME    only this course (a part of its name is enough, e.g. 深入剖析)
  --comments       also search reader comments
  --json           one JSON object per question on one line
  -h, --help       this text`

const { values, positionals } = parseCli(
  {
    limit: { type: 'string', default: '3' },
    course: { type: 'string' },
    comments: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  USAGE,
)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > 50) fail(`--limit: "${values.limit}" must be a whole number from 1 to 50\n\n${USAGE}`)
const limit = Number(values.limit)

const library = await openLibrary()
let course: string | undefined
if (values.course !== undefined) {
  course = library.resolveCourse(values.course)
  if (!course) fail(`--course: no course matches "${values.course}"; courses: ${library.courses().join(', ')}`)
}

function hitUrl(hit: SearchResult['hits'][number]): string {
  return hit.kind === 'paragraph' ? passageLink(hit.chapter, hit.text) : chapterLink(hit.chapter)
}

function print(result: SearchResult) {
  if (values.json) {
    const hits = result.hits.map((hit) => ({
      rank: hit.rank,
      score: hit.score,
      kind: hit.kind,
      course: hit.chapter.course,
      chapter: { number: hit.chapter.number, title: hit.chapter.title, url: chapterLink(hit.chapter) },
      heading: hit.heading,
      text: passageWithCode(hit),
      url: hitUrl(hit),
    }))
    console.log(JSON.stringify({ query: result.query, hits }))
    return
  }
  console.log(`? ${result.query}`)
  if (result.hits.length === 0) console.log('  (no answer found: try other words, or `npm run ask -- --help`)')
  for (const hit of result.hits) {
    const where = [hit.chapter.course, hit.chapter.title, hit.heading].filter(Boolean).join(' › ')
    console.log(`${hit.rank}. [${hit.kind}] ${where}`)
    if (hit.kind !== 'title') console.log(`   ${passageWithCode(hit).replace(/\n/g, '\n   ')}`)
    console.log(`   ${hitUrl(hit)}`)
  }
  console.log('')
}

const ask = (question: string) => print(library.search(question, { limit, course, includeComments: values.comments }))

if (positionals.length > 0) {
  for (const question of positionals) ask(question)
} else {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) ask(line.trim())
  }
}
