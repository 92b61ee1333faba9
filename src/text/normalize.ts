/** NFKC folds full-width forms (ＰＯＤ, １３, ：) onto their half-width twins; lowercasing makes matching case-blind. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/**
 * A comparison key for "is this the same text?": normalised, with whitespace and punctuation removed,
 * so that re-wrapped or re-spaced copies of a paragraph compare equal.
 */
export function matchKey(text: string): string {
  return normalize(text).replace(/[\s\p{P}\p{S}]+/gu, '')
}

const HAN = /\p{Script=Han}/u

export function hasHan(text: string): boolean {
  return HAN.test(text)
}
