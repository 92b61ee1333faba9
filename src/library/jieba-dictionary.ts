import { jiebaFile } from './jieba-data.js'

const SPACE = 0x20
const NEWLINE = 0x0a

/**
 * jieba's dictionary as its file's bytes (one "word frequency tag" line per word, sorted by bytes), searched in
 * place: 5 MB of bytes and a 1.4 MB table of lines, where jieba's own structures for the same 349,000 words take
 * about 45 MB of native memory. (Were a release of jieba to ship it unsorted, words would be missed: the
 * segmenter's tests compare its cuts with jieba's own.)
 */
export class JiebaDictionary {
  private constructor(
    private readonly bytes: Buffer,
    /** Where each line starts. */
    private readonly starts: Uint32Array,
    /** A word's first character → k, where the lines starting with it are ranges[2k] up to ranges[2k + 1]. */
    private readonly byFirst: Map<number, number>,
    /** Pairs of line numbers (one typed array, not 12,000 small ones: 2.5 MB less). */
    private readonly ranges: Uint32Array,
    /** The sum of every word's frequency: jieba weighs a word by its share of it. */
    readonly totalFrequency: number,
  ) {}

  /** The text being searched, as UTF-8 (UTF-8 takes at most 3 bytes per UTF-16 code unit). */
  private scratch = Buffer.alloc(1024)

  static load(bytes: Buffer = jiebaFile('dict.txt')): JiebaDictionary {
    const starts: number[] = []
    const byFirst = new Map<number, number>()
    const ranges: number[] = []
    let total = 0
    // One pass over the bytes, no strings made: this runs at every start.
    for (let at = 0; at < bytes.length; ) {
      let space = at
      while (space < bytes.length && bytes[space] !== SPACE && bytes[space] !== NEWLINE) space++
      let end = space
      if (bytes[space] === SPACE && space > at) {
        const line = starts.push(at) - 1
        const first = codePointAt(bytes, at)
        const k = byFirst.get(first)
        if (k !== undefined) ranges[2 * k + 1] = line + 1
        else byFirst.set(first, ranges.push(line, line + 1) / 2 - 1)
        total += frequencyAfter(bytes, space)
      }
      while (end < bytes.length && bytes[end] !== NEWLINE) end++
      at = end + 1
    }
    return new JiebaDictionary(bytes, Uint32Array.from(starts), byFirst, Uint32Array.from(ranges), total)
  }

  /** How many words (lines) the dictionary has. */
  get size(): number {
    return this.starts.length
  }

  /**
   * The line number of every dictionary word that occurs in `text` (a word may be given more than once). Each
   * place in the text narrows its first character's range of lines a character at a time, by binary search: a
   * few comparisons per character, and no string is made.
   */
  wordsIn(text: string): number[] {
    const found: number[] = []
    if (this.scratch.length < text.length * 3) this.scratch = Buffer.alloc(text.length * 3)
    const bytes = this.scratch
    const length = bytes.write(text)
    for (let start = 0; start < length; start += utf8Length(bytes[start]!)) {
      const k = this.byFirst.get(codePointAt(bytes, start))
      if (k === undefined) continue
      let lo = this.ranges[2 * k]!
      let hi = this.ranges[2 * k + 1]!
      // Lines [lo, hi) share the text's bytes [start, end); the shortest sorts first, and is a word if it ends there.
      for (let end = start + utf8Length(bytes[start]!); ; ) {
        if (this.bytes[this.starts[lo]! + end - start] === SPACE) found.push(lo)
        if (end >= length || bytes[end]! <= SPACE) break // words hold no spaces or line ends
        const width = utf8Length(bytes[end]!)
        lo = this.firstFrom(lo, hi, end - start, end, width, false)
        hi = this.firstFrom(lo, hi, end - start, end, width, true)
        if (lo >= hi) break
        end += width
      }
    }
    return found
  }

  /** A line of the dictionary file: "容器 433 n". */
  line(line: number): string {
    const start = this.starts[line]!
    const end = this.bytes.indexOf(NEWLINE, start)
    return this.bytes.toString('utf8', start, end < 0 ? this.bytes.length : end)
  }

  /** A line's word: 容器 for "容器 433 n". */
  word(line: number): string {
    const start = this.starts[line]!
    return this.bytes.toString('utf8', start, this.bytes.indexOf(SPACE, start))
  }

  /** A word's line, or undefined when the dictionary does not list it. */
  lineOf(word: string): number | undefined {
    for (const line of this.wordsIn(word)) if (this.word(line) === word) return line
    return undefined
  }

  /** A word's frequency, or 0 when the dictionary does not list it. */
  frequencyOf(word: string): number {
    const line = this.lineOf(word)
    return line === undefined ? 0 : this.frequency(line)
  }

  /** A line's word frequency: 433 for "容器 433 n". */
  frequency(line: number): number {
    return frequencyAfter(this.bytes, this.bytes.indexOf(SPACE, this.starts[line]!))
  }

  /**
   * Among lines [lo, hi), which share their first `depth` bytes, the first whose next `width` bytes come at or after
   * (`after`: strictly after) the scratch text's bytes [from, from + width).
   */
  private firstFrom(lo: number, hi: number, depth: number, from: number, width: number, after: boolean): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const line = this.starts[mid]! + depth
      let order = 0
      for (let i = 0; i < width && order === 0; i++) order = this.bytes[line + i]! - this.scratch[from + i]!
      if (order < 0 || (after && order === 0)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** The frequency written after the space at `space`, in a line "word frequency tag". */
function frequencyAfter(bytes: Buffer, space: number): number {
  let frequency = 0
  for (let at = space + 1; bytes[at]! >= 0x30 && bytes[at]! <= 0x39; at++) frequency = frequency * 10 + bytes[at]! - 0x30
  return frequency
}

/** How many bytes the UTF-8 character starting with `lead` takes. */
function utf8Length(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4
}

/** The code point of the UTF-8 character starting at `at`. */
function codePointAt(bytes: Buffer, at: number): number {
  const lead = bytes[at]!
  const length = utf8Length(lead)
  let code = length === 1 ? lead : lead & (0xff >> (length + 1))
  for (let i = 1; i < length; i++) code = (code << 6) | (bytes[at + i]! & 0x3f)
  return code
}
