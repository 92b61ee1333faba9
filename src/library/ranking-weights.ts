// Every weight the ranking adds up, in one place, each with what it bought: the questions lost (hit@1 / hit@3,
// passage hits) when it is set to 0 with `npm run eval -- --all --ablate NAME`. docs/ranking.md has the table.

export const WEIGHTS = {
  /** Matching only in the heading or chapter title counts for less than matching in the passage itself. */
  CONTEXT: 0.7,
  /** Matching only in a passage's code counts for less than in its prose: an English question is not answered by YAML alone. */
  CODE: 0.7,
  /** Bonus when the question's subject is a chapter's title ("什么是Pod？" and the chapter "Pod"). */
  TITLE_MATCH: 0.5,
  /** Orama's BM25, normalised to the best candidate, next to term coverage. */
  BM25: 0.15,
  /** The share of the question's adjacent word pairs that a hit has side by side. */
  PHRASE: 0.3,
  /** The chapter's BM25 for the question, normalised to the best chapter's (Library.chapterScores). */
  CHAPTER: 0.3,
}

export type WeightName = keyof typeof WEIGHTS

/** For ablation runs only: one weight set to a value (0 turns its mechanism off) for the rest of the process. */
export function overrideWeight(name: string, value: number): void {
  if (!(name in WEIGHTS)) throw new Error(`no ranking weight named ${name} (known: ${Object.keys(WEIGHTS).join(', ')})`)
  WEIGHTS[name as WeightName] = value
}
