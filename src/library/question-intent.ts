import { normalize } from '../text/normalize.js'

/**
 * Questions that ask for a chapter rather than an explanation: "在哪里讲", "哪一节", "有讲…的章节吗", "which
 * chapter covers…". A chapter's title is then the answer, not a summary paragraph that names its topic.
 */
const ASKS_FOR_CHAPTER = [
  /哪[一个]?(?:章|节(?!点)|讲|篇|课)/u,
  /章节/u,
  /哪里[讲学介提]/u,
  /有(?:没有)?讲(?!究)/u,
  /\b(?:which|what) (?:chapter|lesson|section|part)s?\b/,
  /\b(?:is|are) there (?:a|an|any) (?:chapter|lesson|section)s?\b/,
  /\b(?:chapter|lesson|section)s? (?:on|about|covers?|covering)\b/,
]

export function asksForChapter(question: string): boolean {
  const text = normalize(question)
  return ASKS_FOR_CHAPTER.some((pattern) => pattern.test(text))
}
