import { z } from 'zod'
import type { Chapter, Passage, TocEntry } from '../corpus/types.js'
import { HAN_READINGS_FIRST, HAN_READINGS_LAST, type SpellingLexicon } from './spelling.js'

/**
 * The JSON parts of the index file, as they must be: one schema per part, in one place. A part that does not
 * match is damage, and the file is rebuilt. A field added to Passage, Chapter or TocEntry must be added here
 * too (`satisfies` below makes the compiler say so), or the restored library would lack it.
 */

/** A TOC array's byte length: whole Uint32s, and no more than one read can take (a 2 GiB read aborts Node). */
const arrayBytes = z
  .number()
  .int()
  .min(0)
  .max(2 ** 30)
  .refine((n) => n % 4 === 0, 'not a whole number of 4-byte ids')

export const IndexHeaderSchema = z.object({
  format: z.literal('k8s-course-library'),
  version: z.number().int(),
  tokenizerVersion: z.number().int(),
  fingerprint: z.string(),
  builtAt: z.string(),
  /** How many passage lines follow the chapters. */
  passages: z.number().int().min(0),
  /** The byte order of those arrays (the writing machine's): read on a machine of the other order, they are rebuilt. */
  byteOrder: z.enum(['little-endian', 'big-endian']),
  /** Byte lengths of the typed arrays that follow the header line: per token store, its tokens, offsets and repeat counts. */
  arrays: z.array(arrayBytes).length(6),
})
export type IndexHeader = z.infer<typeof IndexHeaderSchema>

export const TocEntrySchema = z.object({
  course: z.string(),
  position: z.number().int().min(1),
  number: z.string().nullable(),
  title: z.string(),
  url: z.string(),
  path: z.string(),
  href: z.string(),
}) satisfies z.ZodType<TocEntry>

export const ChapterSchema = z.object({
  key: z.string(),
  course: z.string(),
  position: z.number().int(),
  number: z.string().nullable(),
  title: z.string(),
  url: z.string(),
  hasText: z.boolean(),
}) satisfies z.ZodType<Chapter>

export const PassageSchema = z.object({
  id: z.string(),
  kind: z.enum(['paragraph', 'list', 'title', 'comment']),
  chapterKey: z.string(),
  heading: z.string(),
  text: z.string(),
  code: z.array(z.object({ lang: z.string(), text: z.string() })).optional(),
  source: z.string(),
}) satisfies z.ZodType<Passage>

export const SpellingLexiconSchema = z.object({
  joined: z.array(z.string()),
  sounds: z.array(z.array(z.string()).min(2)),
  readings: z.array(z.string()).length(HAN_READINGS_LAST - HAN_READINGS_FIRST + 1),
}) satisfies z.ZodType<SpellingLexicon>

export const IndexPartSchemas = {
  toc: z.array(TocEntrySchema),
  chapters: z.array(ChapterSchema),
  passage: PassageSchema,
  vocabulary: z.array(z.string()),
  documents: z.array(z.string()),
  spelling: SpellingLexiconSchema,
  /** [word, frequency] pairs: see corpus-words.ts. */
  corpusWords: z.array(z.tuple([z.string().min(2), z.number().int().positive()])),
  /** [English word, its Chinese words] pairs: see english-glosses.ts. */
  englishGlosses: z.array(z.tuple([z.string().regex(/^[a-z]+$/), z.array(z.string().min(2)).min(1)])),
}

/** The first thing wrong with `value`, and where in it: `[3].title: expected string, received number`. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'does not match'
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
  return `${where ? `${where}: ` : ''}${issue.message}`
}
