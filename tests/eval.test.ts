import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadLibraryConfig, PROJECT_ROOT } from '../src/config.js'
import { loadCorpus } from '../src/corpus/load-corpus.js'
import { evaluate, readQuestions } from '../src/library/evaluation.js'
import { Library } from '../src/library/library.js'

describe('answer quality on our question set', () => {
  it('keeps hit@3 at 0.9 or better', async () => {
    const config = loadLibraryConfig({})
    const corpus = await loadCorpus({ dir: config.corpusDir, baseUrl: config.courseBaseUrl, docsBaseUrl: config.docsBaseUrl })
    const library = await Library.build(corpus)
    const questions = await readQuestions(path.join(PROJECT_ROOT, 'tests', 'eval', 'questions.jsonl'))
    expect(questions.length).toBeGreaterThanOrEqual(60)
    const report = evaluate(library, questions)
    expect(report.hitAt3, `misses: ${JSON.stringify(report.misses, null, 1)}`).toBeGreaterThanOrEqual(0.9)
  })
})
