/** NFKC folds full-width forms (ＰＯＤ, １３, ：) onto their half-width twins; lowercasing makes matching case-blind. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/**
 * A comparison key for "is this the same text?": normalised, with whitespace and punctuation removed,
 * so that re-wrapped or re-spaced copies of a paragraph compare equal.
 */
export function matchKey(text: string): string {
  const normalized = normalize(text)
  const dropped = droppedUnits()
  // The kept runs joined, not the others replaced away: V8 builds a replace's result as a chain of pieces, which
  // at 100k paragraphs held 70 MB where the joined keys take 15.
  const runs: string[] = []
  let runStart = 0
  for (let i = 0; i < normalized.length; ) {
    const unit = normalized.charCodeAt(i)
    const width = unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(normalized.charCodeAt(i + 1)) ? 2 : 1
    const drop = width === 2 ? DROPPED.test(normalized.slice(i, i + 2)) : dropped[unit] === 1
    if (drop) {
      if (i > runStart) runs.push(normalized.slice(runStart, i))
      runStart = i + width
    }
    i += width
  }
  if (runStart === 0) return normalized
  if (runStart < normalized.length) runs.push(normalized.slice(runStart))
  return runs.join('')
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff
}

/** What a key drops: whitespace, punctuation and symbols. */
const DROPPED = /^[\s\p{P}\p{S}]$/u
let droppedTable: Uint8Array | undefined

/**
 * DROPPED for every UTF-16 code unit, worked out once (a few milliseconds): keys are made for every paragraph at
 * indexing and for candidate hits at every search, and a table lookup per character is several times faster than
 * a Unicode-property regex. Characters beyond the BMP (emoji, rare Han) are rare enough to test one by one.
 */
function droppedUnits(): Uint8Array {
  if (!droppedTable) {
    droppedTable = new Uint8Array(0x10000)
    for (let unit = 0; unit < 0x10000; unit++) droppedTable[unit] = DROPPED.test(String.fromCharCode(unit)) ? 1 : 0
  }
  return droppedTable
}

const HAN = /\p{Script=Han}/u

export function hasHan(text: string): boolean {
  return HAN.test(text)
}
