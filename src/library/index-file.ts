import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { StoredLibrary } from './library.js'
import { TokenStore } from './token-store.js'

/** What the index file says about itself, on its first line. */
export interface IndexHeader {
  format: 'k8s-course-library'
  version: number
  tokenizerVersion: number
  fingerprint: string
  builtAt: string
  /** How many passage lines follow the chapters. */
  passages: number
  /** Byte lengths of the typed arrays that follow the header line: per token store, its tokens, then offsets. */
  arrays: number[]
}

/**
 * The index file: a header line (JSON); right after it the token stores' typed arrays, as raw bytes; then JSON
 * lines: the TOC, the chapters, one line per passage, and each token store's vocabulary and document ids.
 * Written and read a piece at a time, so neither saving nor loading ever holds the file as one string (at 100k
 * passages, 180 MB of UTF-16 on top of what it parses into), and the arrays are never text at all: read
 * straight into the memory the token stores keep.
 */
const HEADER_MAX_BYTES = 64 * 1024

/** Write the index to `file` (the caller renames it into place). */
export async function writeIndexFile(file: string, header: Omit<IndexHeader, 'passages' | 'arrays'>, library: StoredLibrary): Promise<void> {
  const stores = [library.tokens.parts(), library.commentTokens.parts()]
  const arrays = stores.flatMap((s) => [s.tokens, s.offsets])
  const out = createWriteStream(file)
  const failed = new Promise<never>((_, reject) => out.once('error', reject))
  const write = async (chunk: string | Uint8Array) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed])
  }
  const line = (value: unknown) => write(`${JSON.stringify(value)}\n`)
  try {
    const full: IndexHeader = { ...header, passages: library.passages.length, arrays: arrays.map((a) => a.byteLength) }
    await line(full)
    for (const array of arrays) await write(new Uint8Array(array.buffer, array.byteOffset, array.byteLength))
    await line(library.toc)
    await line(library.chapters)
    for (const passage of library.passages) await line(passage)
    for (const store of stores) {
      await line(store.vocabulary)
      await line(store.documents)
    }
    out.end()
    await Promise.race([once(out, 'finish'), failed])
  } finally {
    out.destroy()
  }
}

export interface IndexFile {
  header: IndexHeader
  /**
   * The rest of the file, token stores rebuilt. Rejects, naming the line, when it is cut short or a part is not
   * what it should be.
   */
  read(): Promise<StoredLibrary>
  /** Let the file go unread (when the header says it is stale). */
  close(): Promise<void>
}

/**
 * Open an index file and read its header. Rejects with the error's `code` ENOENT when there is no file, and with
 * a message when the first line is not an index header.
 */
export async function openIndexFile(file: string): Promise<IndexFile> {
  const handle = await open(file, 'r')
  try {
    const start = Buffer.alloc(HEADER_MAX_BYTES)
    const { bytesRead } = await handle.read(start, 0, start.length, 0)
    const newline = start.subarray(0, bytesRead).indexOf(0x0a)
    if (newline < 0) throw new Error('line 1 is not an index header')
    let header: IndexHeader
    try {
      header = JSON.parse(start.toString('utf8', 0, newline)) as IndexHeader
    } catch {
      throw new Error('line 1 (header) is not JSON')
    }
    const valid =
      header?.format === 'k8s-course-library' &&
      typeof header.version === 'number' &&
      Number.isInteger(header.passages) &&
      Array.isArray(header.arrays) &&
      header.arrays.length === 4 &&
      header.arrays.every((n) => Number.isInteger(n) && n >= 0 && n % 4 === 0)
    if (!valid) throw new Error('line 1 is not an index header')
    const arraysStart = newline + 1
    const linesStart = arraysStart + header.arrays.reduce((a, b) => a + b, 0)
    return { header, read: () => readBody(file, handle, header, arraysStart, linesStart), close: () => handle.close() }
  } catch (error) {
    await handle.close()
    throw error
  }
}

/** The arrays, read into memory of their own, then the JSON lines. Closes the file. */
async function readBody(file: string, handle: Awaited<ReturnType<typeof open>>, header: IndexHeader, arraysStart: number, linesStart: number): Promise<StoredLibrary> {
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
  const next = async (what: string): Promise<unknown> => {
    const { value, done } = await lines.next()
    lineNumber++
    if (done) throw new Error(`it ends at line ${lineNumber}, where its ${what} should be`)
    try {
      return JSON.parse(value) as unknown
    } catch {
      throw new Error(`line ${lineNumber} (${what}) is not JSON`)
    }
  }
  const checked = <T>(value: unknown, what: string, test: (v: unknown) => boolean): T => {
    if (!test(value)) throw new Error(`line ${lineNumber} is not ${what}`)
    return value as T
  }
  try {
    const toc = checked<StoredLibrary['toc']>(await next('table of contents'), 'a list of TOC entries', Array.isArray)
    const chapters = checked<StoredLibrary['chapters']>(await next('chapters'), 'a list of chapters', Array.isArray)
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
      const p = checked<StoredLibrary['passages'][number]>(await next('passage'), 'a passage', (v) => typeof (v as { text?: unknown } | null)?.text === 'string')
      passages.push(Object.assign(p, { id: one(p.id), chapterKey: one(p.chapterKey), source: one(p.source), heading: one(p.heading), kind: one(p.kind) }))
    }
    const tokenStore = async (tokens: Uint32Array, offsets: Uint32Array): Promise<TokenStore> => {
      const vocabulary = checked<string[]>(await next("token store's vocabulary"), 'a list of words', Array.isArray)
      const documents = checked<string[]>(await next("token store's documents"), 'a list of document ids', Array.isArray)
      return TokenStore.fromParts({ vocabulary, documents: documents.map(one), tokens, offsets })
    }
    const tokens = await tokenStore(arrays[0]!, arrays[1]!)
    const commentTokens = await tokenStore(arrays[2]!, arrays[3]!)
    if (!(await lines.next()).done) throw new Error(`it goes on after line ${lineNumber}, where it should end`)
    return { toc, chapters, passages, tokens, commentTokens }
  } finally {
    input.destroy()
  }
}
