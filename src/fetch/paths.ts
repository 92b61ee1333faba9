import path from 'node:path'
import type { TocEntry } from '../corpus/types.js'

/** Fetched chapters live under this folder of `--out`, so one `.gitignore` line keeps them out of git. */
const FETCHED_DIR = 'fetched'

/** Most filesystems cap a name at 255 bytes; the temporary file adds a prefix and suffix, so stay well below. */
const MAX_NAME_BYTES = 180

function truncateBytes(text: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  // By code point, so a character is never cut in half.
  for (const char of text) {
    const size = Buffer.byteLength(char)
    if (bytes + size > maxBytes) break
    out += char
    bytes += size
  }
  return out
}

/**
 * One path segment from untrusted text (a sidebar title or course name): no separators, no NUL or other
 * control or invisible format characters, no characters Windows forbids, no `..`, no leading dot (the
 * corpus loader skips dotfiles), length-capped. Empty results become `fallback`.
 */
export function safeName(text: string, fallback: string, maxBytes = MAX_NAME_BYTES): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .replace(/^[\s._]+/, '')
  const capped = truncateBytes(cleaned, maxBytes).replace(/[\s.]+$/, '')
  return capped || fallback
}

/** `fetched/<course>/<NN>-<title>.html`, relative to `--out`, with `/` separators. Derived only from course, position and title. */
export function chapterFile(entry: TocEntry): string {
  const position = String(entry.position).padStart(2, '0')
  return [FETCHED_DIR, safeName(entry.course, 'course'), `${position}-${safeName(entry.title, 'chapter')}.html`].join('/')
}

/** True when `target` is `root` itself or lies below it, after resolving `..` and relative parts. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target))
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}
