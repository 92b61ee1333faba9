// npm run index: parse CORPUS_DIR, build the search index and save it, with a report of what was read.
import '../src/cli/top-level.js'
import { parseCli } from '../src/cli/args.js'
import { libraryConfigOrExit } from '../src/cli/library-cli.js'
import { buildAndSave } from '../src/library/store.js'

const USAGE = `Usage: npm run index

Builds the course library from CORPUS_DIR (default: corpus/) and saves it to INDEX_PATH
(default: data/library.idx). Prints files, chapters and passages per course, what was
skipped and why, and how long it took.`

const { values } = parseCli({ help: { type: 'boolean', short: 'h' } }, USAGE)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const config = libraryConfigOrExit()

const { corpus, library, elapsedMs } = await buildAndSave(config)
const stats = library.stats()
console.log(`corpus: ${config.corpusDir}`)
console.log(`files: ${corpus.files.length} read, ${corpus.warnings.filter((w) => !corpus.files.some((f) => f.file === w.file)).length} skipped, ${corpus.ignored.length} ignored (${corpus.ignored.join(', ') || 'none'})`)
for (const course of stats.perCourse) {
  console.log(`  ${course.course}: ${course.chapters} chapters (${course.chaptersWithText} with text), ${course.passages} passages`)
}
console.log(`total: ${stats.chapters} chapters (${stats.chaptersWithText} with text), ${stats.passages} passages, ${stats.comments} reader comments kept apart`)
for (const w of corpus.warnings) console.log(`warning: ${w.file}: ${w.reason}`)
console.log(`index saved to ${config.indexPath} in ${Math.round(elapsedMs)} ms`)
