import type { Dirent } from 'node:fs'
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { KnownError } from '../errors.js'
import type { CorpusWarning } from './types.js'

/** Pages above this size are skipped (CORPUS_MAX_PAGE_MB): a page of the course is well under 1 MB. */
export const DEFAULT_MAX_PAGE_BYTES = 20 * 1024 * 1024

export interface CorpusFile {
  /** Corpus-relative, `/`-separated. */
  file: string
  /** Where to read it: the file itself, or the regular file inside the corpus that a symlink leads to. */
  absolute: string
  bytes: number
}

export interface CorpusListing {
  files: CorpusFile[]
  /** Entries that are not read, and why: symlinks leading elsewhere, FIFOs and devices, oversized pages. */
  skipped: CorpusWarning[]
}

function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (s.isDirectory()) return 'a folder'
  if (s.isFIFO()) return 'a FIFO'
  if (s.isSocket()) return 'a socket'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

function sortedEntries(root: string, rel: string): Dirent[] {
  return readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
}

/** A directory entry that may be read, or why it is skipped. */
function checkFile(root: string, file: string, entry: Dirent, maxPageBytes: number): CorpusFile | CorpusWarning {
  const absolute = path.join(root, file)
  let target = absolute
  if (entry.isSymbolicLink()) {
    try {
      target = realpathSync(absolute)
    } catch {
      return { file, reason: 'skipped: a symlink that leads nowhere' }
    }
    const inside = path.relative(root, target)
    if (inside.startsWith('..') || path.isAbsolute(inside)) return { file, reason: `skipped: a symlink to ${target}, outside CORPUS_DIR` }
  }
  const info = target === absolute ? lstatSync(absolute) : statSync(target)
  if (!info.isFile()) return { file, reason: `skipped: ${entry.isSymbolicLink() ? `a symlink to ${kindOf(info)}` : kindOf(info)}, not a page` }
  if (info.size > maxPageBytes) {
    const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`
    return { file, reason: `skipped: ${mb(info.size)} is over the ${mb(maxPageBytes)} page limit (CORPUS_MAX_PAGE_MB)` }
  }
  return { file, absolute: target, bytes: info.size }
}

/**
 * Every file of the corpus folder that may be read, in name order, without reading any. Subfolders are walked
 * (not hidden ones, nor node_modules); a symlink is followed only to a regular file inside the corpus, and
 * nothing is read that is not a regular file (a FIFO would block, /dev/zero never end) or is over
 * `maxPageBytes`. Throws a KnownError naming CORPUS_DIR when the folder itself cannot be listed.
 */
export function listCorpusFiles(dir: string, maxPageBytes = DEFAULT_MAX_PAGE_BYTES): CorpusListing {
  let root: string
  try {
    root = realpathSync(dir)
    if (!statSync(root).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const problem = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code ?? (error as Error).message})`
    throw new KnownError(`CORPUS_DIR: ${dir} ${problem}; point CORPUS_DIR at the folder holding the course pages`)
  }
  const files: CorpusFile[] = []
  const skipped: CorpusWarning[] = []
  // A stack of folders being listed, not recursion: nesting depth costs nothing. Depth-first, in name order.
  const stack: { rel: string; entries: Dirent[]; next: number }[] = [{ rel: '', entries: sortedEntries(root, ''), next: 0 }]
  while (stack.length > 0) {
    const top = stack.at(-1)!
    const entry = top.entries[top.next++]
    if (!entry) {
      stack.pop()
      continue
    }
    const file = top.rel ? `${top.rel}/${entry.name}` : entry.name
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') stack.push({ rel: file, entries: sortedEntries(root, file), next: 0 })
      continue
    }
    const checked = checkFile(root, file, entry, maxPageBytes)
    if ('reason' in checked) skipped.push(checked)
    else files.push(checked)
  }
  return { files, skipped }
}
