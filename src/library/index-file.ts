import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { LibrarySnapshot, StoredLibrary } from './library.js'
import { TokenStore, type TokenStoreJson } from './token-store.js'

/** What the index file says about itself, on its first line. */
export interface IndexHeader {
  format: 'k8s-course-library'
  version: number
  tokenizerVersion: number
  fingerprint: string
  builtAt: string
  /** How many passage lines follow the chapters. */
  passages: number
}

/**
 * The index file is JSON lines: the header, the TOC, the chapters, one line per passage, then each token store as
 * four lines (vocabulary, document ids, token ids, offsets). Written and read a line at a time, so that neither
 * saving nor loading ever holds the whole file as one string: at 100k passages that string alone was 180 MB
 * (UTF-16), on top of what it parsed into.
 */
const TOKEN_STORE_FIELDS = ['vocabulary', 'documents', 'tokens', 'offsets'] as const

/** Write the index to `file` (the caller renames it into place), a line at a time. */
export async function writeIndexFile(file: string, header: Omit<IndexHeader, 'passages'>, snapshot: LibrarySnapshot): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' })
  const failed = new Promise<never>((_, reject) => out.once('error', reject))
  const line = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await Promise.race([once(out, 'drain'), failed])
  }
  try {
    await line({ ...header, passages: snapshot.passages.length } satisfies IndexHeader)
    await line(snapshot.toc)
    await line(snapshot.chapters)
    for (const passage of snapshot.passages) await line(passage)
    for (const store of [snapshot.tokens, snapshot.commentTokens]) for (const field of TOKEN_STORE_FIELDS) await line(store[field])
    out.end()
    await Promise.race([once(out, 'finish'), failed])
  } finally {
    out.destroy()
  }
}

export interface IndexFile {
  header: IndexHeader
  /**
   * The rest of the file, token stores rebuilt. Rejects, naming the line, when it is cut short or a line is not
   * what it should be.
   */
  readSnapshot(): Promise<StoredLibrary>
  /** Stop reading (when the header says the file is stale). */
  close(): void
}

/**
 * Open an index file and read its header. Rejects with the error's `code` ENOENT when there is no file, and with
 * a message naming the line when the header is not an index header.
 */
export async function openIndexFile(file: string): Promise<IndexFile> {
  const input = createReadStream(file, { encoding: 'utf8' })
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve())
    input.once('error', reject)
  })
  await opened
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()
  let lineNumber = 0
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
  const close = () => input.destroy()
  try {
    const header = checked<IndexHeader>(await next('header'), 'an index header', (v) => {
      const h = v as Partial<IndexHeader> | null
      return h?.format === 'k8s-course-library' && typeof h.version === 'number' && Number.isInteger(h.passages)
    })
    const readSnapshot = async (): Promise<StoredLibrary> => {
      try {
        const toc = checked<LibrarySnapshot['toc']>(await next('table of contents'), 'a list of TOC entries', Array.isArray)
        const chapters = checked<LibrarySnapshot['chapters']>(await next('chapters'), 'a list of chapters', Array.isArray)
        const passages: LibrarySnapshot['passages'] = []
        for (let i = 0; i < header.passages; i++) {
          passages.push(checked(await next('passage'), 'a passage', (v) => typeof (v as { text?: unknown } | null)?.text === 'string'))
        }
        // Document ids as the passages' own strings: JSON.parse gave each its own copy (14 MB at 100k).
        const passageIds = new Map(passages.map((p) => [p.id, p.id]))
        // Each store is rebuilt as soon as its lines are read, so their base64 text (37 MB) is soon let go.
        const tokenStore = async (): Promise<TokenStore> => {
          const store: Partial<TokenStoreJson> = {}
          for (const field of TOKEN_STORE_FIELDS) Object.assign(store, { [field]: await next(`token store's ${field}`) })
          if (Array.isArray(store.documents)) store.documents = store.documents.map((id) => passageIds.get(id) ?? id)
          return TokenStore.fromJSON(store as TokenStoreJson)
        }
        const tokens = await tokenStore()
        const commentTokens = await tokenStore()
        if (!(await lines.next()).done) throw new Error(`it goes on after line ${lineNumber}, where it should end`)
        return { toc, chapters, passages, tokens, commentTokens }
      } finally {
        close()
      }
    }
    return { header, readSnapshot, close }
  } catch (error) {
    close()
    throw error
  }
}
