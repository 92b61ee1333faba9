import { once } from 'node:events'
import { constants, createReadStream, createWriteStream } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { endianness } from 'node:os'
import { createInterface } from 'node:readline'
import type { z } from 'zod'
import { tocChapterKey } from '../corpus/types.js'
import { firstProblem, IndexHeaderSchema, IndexPartSchemas, type IndexHeader } from './index-schema.js'
import type { StoredLibrary } from './library.js'
import { TokenStore } from './token-store.js'

export type { IndexHeader } from './index-schema.js'

/** This machine's byte order, as the header records it. */
const BYTE_ORDER = endianness() === 'LE' ? 'little-endian' : 'big-endian'

/**
 * The index file: a header line (JSON); right after it the token stores' typed arrays, as raw bytes in the byte
 * order the header names (the writing machine's); then JSON
 * lines: the TOC, the chapters, one line per passage, each token store's vocabulary and document ids, the
 * spelling lexicon, the corpus's own word frequencies, and the English glosses of its words.
 * Written and read a piece at a time, so neither saving nor loading ever holds the file as one string (at 100k
 * passages, 180 MB of UTF-16 on top of what it parses into), and the arrays are never text at all: read
 * straight into the memory the token stores keep.
 */
const HEADER_MAX_BYTES = 64 * 1024

/** Write the index to `file` (the caller renames it into place). */
export async function writeIndexFile(file: string, header: Omit<IndexHeader, 'passages' | 'arrays' | 'byteOrder'>, library: StoredLibrary): Promise<void> {
  const stores = [library.tokens.parts(), library.commentTokens.parts()]
  const arrays = stores.flatMap((s) => [s.tokens, s.offsets, asUint32s(s.repeats)])
  const out = createWriteStream(file)
  const failed = new Promise<never>((_, reject) => out.once('error', reject))
  const write = async (chunk: string | Uint8Array) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed])
  }
  const line = (value: unknown) => write(`${JSON.stringify(value)}\n`)
  try {
    const full: IndexHeader = { ...header, byteOrder: BYTE_ORDER, passages: library.passages.length, arrays: arrays.map((a) => a.byteLength) }
    await line(full)
    for (const array of arrays) await write(new Uint8Array(array.buffer, array.byteOffset, array.byteLength))
    await line(library.toc)
    await line(library.chapters)
    for (const passage of library.passages) await line(passage)
    for (const store of stores) {
      await line(store.vocabulary)
      await line(store.documents)
    }
    await line(library.spelling)
    await line(library.corpusWords)
    await line(library.englishGlosses)
    out.end()
    await Promise.race([once(out, 'finish'), failed])
  } finally {
    out.destroy()
  }
}

/** Bytes padded to whole Uint32s: the file stores every array as Uint32s, and reads them back as such. */
function asUint32s(bytes: Uint8Array): Uint32Array {
  const padded = new Uint32Array(Math.ceil(bytes.length / 4))
  new Uint8Array(padded.buffer).set(bytes)
  return padded
}

export interface IndexFile {
  header: IndexHeader
  /**
   * The rest of the file, token stores rebuilt. Rejects, saying what is wrong and where, when it is cut short
   * or a part is not what it should be.
   */
  read(): Promise<StoredLibrary>
  /** Let the file go unread (when the header says it is stale). */
  close(): Promise<void>
}

/**
 * Open an index file and read its header. Rejects with the error's `code` ENOENT when there is no file, and
 * with a message saying what is wrong when it is not a regular file or its first line is not an index header.
 * Every length the header gives is checked against the file's size before anything is allocated.
 */
export async function openIndexFile(file: string): Promise<IndexFile> {
  // Non-blocking, so a FIFO does not wait for a writer; then only a regular file is read.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new Error('it is not a regular file')
    const start = Buffer.alloc(Math.min(HEADER_MAX_BYTES, info.size))
    const { bytesRead } = await handle.read(start, 0, start.length, 0)
    const newline = start.subarray(0, bytesRead).indexOf(0x0a)
    if (newline < 0) throw new Error(`line 1 is not an index header (no line end in its first ${HEADER_MAX_BYTES} bytes)`)
    let json: unknown
    try {
      json = JSON.parse(start.toString('utf8', 0, newline))
    } catch {
      throw new Error('line 1 (header) is not JSON')
    }
    const parsed = IndexHeaderSchema.safeParse(json)
    if (!parsed.success) throw new Error(`line 1 is not an index header (${firstProblem(parsed.error)})`)
    const header = parsed.data
    if (header.byteOrder !== BYTE_ORDER) throw new Error(`its token arrays are ${header.byteOrder}, and this machine is ${BYTE_ORDER}`)
    const arraysStart = newline + 1
    const linesStart = arraysStart + header.arrays.reduce((a, b) => a + b, 0)
    if (linesStart > info.size) throw new Error(`its header gives token arrays of ${linesStart - arraysStart} bytes, but only ${info.size - arraysStart} follow it`)
    // Each passage is a line of at least two bytes ("{}" would not do, but no fewer can be right).
    if (header.passages * 2 > info.size - linesStart) throw new Error(`its header counts ${header.passages} passages, more than the ${info.size - linesStart} bytes after the arrays can hold`)
    return { header, read: () => readBody(file, handle, header, arraysStart, linesStart), close: () => handle.close() }
  } catch (error) {
    await handle.close()
    throw error
  }
}

/** The arrays, read into memory of their own (their lengths checked by `openIndexFile`), then the JSON lines. Closes the file. */
async function readBody(file: string, handle: FileHandle, header: IndexHeader, arraysStart: number, linesStart: number): Promise<StoredLibrary> {
  let arrays: Uint32Array[]
  try {
    let at = arraysStart
    arrays = []
    for (const bytes of header.arrays) {
      const array = new Uint32Array(bytes / 4)
      const { bytesRead } = await handle.read(new Uint8Array(array.buffer), 0, bytes, at)
      if (bytesRead !== bytes) throw new Error('it ends inside its token arrays')
      arrays.push(array)
      at += bytes
    }
  } finally {
    await handle.close()
  }
  const input = createReadStream(file, { encoding: 'utf8', start: linesStart })
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()
  let lineNumber = 1 // the header; the arrays are not lines
  const next = async <T>(what: string, schema: z.ZodType<T>): Promise<T> => {
    const { value, done } = await lines.next()
    lineNumber++
    if (done) throw new Error(`it ends at line ${lineNumber}, where its ${what} should be`)
    let json: unknown
    try {
      json = JSON.parse(value)
    } catch {
      throw new Error(`line ${lineNumber} (${what}) is not JSON`)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) throw new Error(`line ${lineNumber} (${what}) is not what it should be: ${firstProblem(parsed.error)}`)
    return parsed.data
  }
  try {
    const toc = await next('table of contents', IndexPartSchemas.toc)
    const chapters = await next('chapters', IndexPartSchemas.chapters)
    const chapterKeys = new Set(chapters.map((c) => c.key))
    const missing = toc.find((entry) => !chapterKeys.has(tocChapterKey(entry)))
    if (missing) throw new Error(`line 3 (chapters) lacks the chapter of TOC entry "${missing.title}" (${tocChapterKey(missing)})`)
    // JSON.parse gives every line its own copy of each string: share one copy of each passage's chapter key,
    // file, heading and kind (60 MB less at 100k passages), and of each document id, which is also a passage's.
    const shared = new Map<string, string>()
    const one = (text: string) => {
      let copy = shared.get(text)
      if (copy === undefined) shared.set(text, (copy = text))
      return copy
    }
    const passages: StoredLibrary['passages'][number][] = []
    for (let i = 0; i < header.passages; i++) {
      const p = await next('passage', IndexPartSchemas.passage)
      if (!chapterKeys.has(p.chapterKey)) throw new Error(`line ${lineNumber} (passage): its chapter ${JSON.stringify(p.chapterKey)} is not among the chapters`)
      passages.push(Object.assign(p, { id: one(p.id), chapterKey: one(p.chapterKey), source: one(p.source), heading: one(p.heading), kind: one(p.kind) }))
    }
    const tokenStore = async (which: string, tokens: Uint32Array, offsets: Uint32Array, repeats: Uint32Array): Promise<TokenStore> => {
      const vocabulary = await next(`${which} token store's vocabulary`, IndexPartSchemas.vocabulary)
      const documents = await next(`${which} token store's documents`, IndexPartSchemas.documents)
      try {
        if (repeats.byteLength < tokens.length || repeats.byteLength >= tokens.length + 4) throw new Error(`${repeats.byteLength} bytes of repeat counts for ${tokens.length} tokens`)
        return TokenStore.fromParts({ vocabulary, documents: documents.map(one), tokens, offsets, repeats: new Uint8Array(repeats.buffer, 0, tokens.length) })
      } catch (error) {
        throw new Error(`the ${which} token store (lines ${lineNumber - 1}–${lineNumber} and its arrays): ${(error as Error).message}`)
      }
    }
    const tokens = await tokenStore('passage', arrays[0]!, arrays[1]!, arrays[2]!)
    const commentTokens = await tokenStore('comment', arrays[3]!, arrays[4]!, arrays[5]!)
    const spelling = await next('spelling lexicon', IndexPartSchemas.spelling)
    const corpusWords = await next('corpus words', IndexPartSchemas.corpusWords)
    const englishGlosses = await next('English glosses', IndexPartSchemas.englishGlosses)
    if (!(await lines.next()).done) throw new Error(`it goes on after line ${lineNumber}, where it should end`)
    return { toc, chapters, passages, tokens, commentTokens, spelling, corpusWords, englishGlosses }
  } finally {
    input.destroy()
  }
}
