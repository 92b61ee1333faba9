// Damaged index files (INDEX_PATH): each ends in bounded time with a rebuild that answers, or is refused by the
// settings in one line. The emptyDir keeps the file across restarts, so any of these would fail every start.
import { execFileSync } from 'node:child_process'
import { mkdir, open, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadLibraryConfig } from '../../src/config.js'
import { openIndexFile } from '../../src/library/index-file.js'
import { buildAndSave, loadLibrary } from '../../src/library/store.js'
import { expectRebuiltFromCorrupt, libraryConfig, removeTempDirs, seedCorpusWith, tempDir } from '../library/helpers.js'

/** Every case must be over well within this: a hang fails the test instead of stalling the run. */
const BOUND_MS = 15_000

let corpusDir: string
let good: Buffer
let work: string
let headerEnd: number
let header: { arrays: number[]; passages: number }
let cases = 0

beforeAll(async () => {
  corpusDir = await seedCorpusWith('robust-index')
  work = await tempDir('robust-index-files')
  const golden = path.join(work, 'golden.jsonl')
  await buildAndSave(libraryConfig(corpusDir, golden))
  good = await readFile(golden)
  headerEnd = good.indexOf(0x0a)
  header = JSON.parse(good.toString('utf8', 0, headerEnd)) as typeof header
})
afterAll(removeTempDirs)

/** A fresh copy of the good index, changed by `damage`; its path. */
async function damaged(damage: (bytes: Buffer) => Buffer): Promise<string> {
  const file = path.join(work, `case-${++cases}.jsonl`)
  await writeFile(file, damage(Buffer.from(good)))
  return file
}

/** The header line replaced, the rest of the file kept byte for byte. */
function withHeader(change: (h: Record<string, unknown>) => Record<string, unknown>) {
  return (bytes: Buffer) => Buffer.concat([Buffer.from(JSON.stringify(change(JSON.parse(bytes.toString('utf8', 0, headerEnd))))), bytes.subarray(headerEnd)])
}

/** The JSON line at `lineIndex` after the arrays (0: TOC, 1: chapters, 2…: passages) replaced. */
function withLine(lineIndex: number, line: string) {
  return (bytes: Buffer) => {
    const linesStart = headerEnd + 1 + header.arrays.reduce((a, b) => a + b, 0)
    const lines = bytes.toString('utf8', linesStart).split('\n')
    lines[lineIndex] = line
    return Buffer.concat([bytes.subarray(0, linesStart), Buffer.from(lines.join('\n'))])
  }
}

/** The 4 bytes at `offset` into token array `array` (0: passage tokens, 1: their offsets, …) overwritten. */
function withUint32(array: number, index: number, value: number) {
  return (bytes: Buffer) => {
    const start = headerEnd + 1 + header.arrays.slice(0, array).reduce((a, b) => a + b, 0)
    bytes.writeUInt32LE(value, start + 4 * index)
    return bytes
  }
}

const expectRebuiltAnswering = (indexPath: string, reason: RegExp) => expectRebuiltFromCorrupt(corpusDir, indexPath, reason)

describe('a damaged index file is reported as corrupt, saying what and where, then rebuilt', () => {
  it.each([
    ['truncated in its arrays', (b: Buffer) => b.subarray(0, headerEnd + 9), /token arrays of \d+ bytes, but only 8 follow/],
    ['truncated in its passages', (b: Buffer) => b.subarray(0, b.lastIndexOf('\n{"id":') + 10), /line \d+ \(passage\) is not JSON/],
    ['truncated in its spelling lexicon', (b: Buffer) => b.subarray(0, b.lastIndexOf('\n{"joined":') + 10), /line \d+ \(spelling lexicon\) is not JSON/],
    ['flipped bytes in the header', (b: Buffer) => b.fill(0xff, 5, 9), /line 1 \(header\) is not JSON/],
    ['flipped bytes in a passage line', withLine(3, '{"id":"x","kind":"paragraph","chapterKey":"nowhere","heading":"","text":"t","source":"s"}'), /line \d+ \(passage\): its chapter "nowhere"/],
    ['an offset of 0xfffffff0 in the first offsets array', withUint32(1, 1, 0xfffffff0), /offset \[1\] is 4294967280/],
    ['a token id flipped past the vocabulary', withUint32(0, 0, 0x7fffffff), /token id is outside the vocabulary/],
    ['a header array length of 2 GiB', withHeader((h) => ({ ...h, arrays: [2 ** 31, ...(h.arrays as number[]).slice(1)] })), /line 1 is not an index header \(arrays\[0\]/],
    ['a header array length longer than the file', withHeader((h) => ({ ...h, arrays: [(h.arrays as number[])[0]! + 4 * good.length, ...(h.arrays as number[]).slice(1)] })), /but only \d+ follow/],
    ['arrays of the other byte order', withHeader((h) => ({ ...h, byteOrder: h.byteOrder === 'little-endian' ? 'big-endian' : 'little-endian' })), /its token arrays are (big|little)-endian, and this machine is (little|big)-endian/],
    ['a header without its byte order', withHeader(({ byteOrder: _, ...h }) => h), /line 1 is not an index header \(byteOrder/],
    ['a header counting a billion passages', withHeader((h) => ({ ...h, passages: 1e9 })), /counts 1000000000 passages/],
    ['a TOC of [1,2,3]', withLine(0, '[1,2,3]'), /line 2 \(table of contents\) is not what it should be: \[0\]: .*expected object/],
    ['chapters: []', withLine(1, '[]'), /line 3 \(chapters\) lacks the chapter of TOC entry/],
    ['a passage of the wrong type', withLine(2, '{"id":1}'), /line 4 \(passage\) is not what it should be: id: .*expected string/],
  ])('%s', async (_label, damage, reason) => expectRebuiltAnswering(await damaged(damage), reason), BOUND_MS)

  it('a sparse 2 GB file (made with truncate, never written)', async () => {
    const file = path.join(work, 'sparse.jsonl')
    execFileSync('truncate', ['-s', '2G', file])
    await expectRebuiltAnswering(file, /line 1 is not an index header/)
  }, BOUND_MS)

  it('a FIFO: not waited on, replaced by the rebuilt file', async () => {
    const file = path.join(work, 'fifo.jsonl')
    execFileSync('mkfifo', [file])
    await expectRebuiltAnswering(file, /not a regular file/)
  }, BOUND_MS)
})

describe('INDEX_PATH that no file can be renamed over is refused by the settings in one line', () => {
  it.each([
    ['a folder', async () => {
      const dir = path.join(work, 'a-folder')
      await mkdir(dir, { recursive: true })
      return dir
    }, /^INDEX_PATH: .*a-folder is a folder; set INDEX_PATH to a file in it/],
    ['/dev/zero', async () => '/dev/zero', /^INDEX_PATH: \/dev\/zero is not a regular file/],
  ])('%s', async (_label, make, message) => {
    const file = await make()
    expect(() => loadLibraryConfig({ INDEX_PATH: file })).toThrow(ConfigError)
    expect(() => loadLibraryConfig({ INDEX_PATH: file })).toThrow(message)
  })

  it('and the index reader itself never reads a device: /dev/zero is not a regular file', async () => {
    await expect(openIndexFile('/dev/zero')).rejects.toThrow(/not a regular file/)
  }, BOUND_MS)
})

describe('rebuilding', () => {
  it('writes a temporary file and renames it over the old one: a reader never sees half a file', async () => {
    const indexPath = await damaged((b) => b.subarray(0, 10))
    const handle = await open(indexPath, 'r')
    const before = (await handle.stat()).ino
    await handle.close()
    await loadLibrary(libraryConfig(corpusDir, indexPath))
    const reopened = await open(indexPath, 'r')
    const after = (await reopened.stat()).ino
    await reopened.close()
    expect(after).not.toBe(before)
  })
})
