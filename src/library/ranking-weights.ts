// Every weight the ranking adds up, in one place, each with what it bought: the questions lost (hit@1 / hit@3,
// passage hits) when it is set to 0 with `npm run eval -- --all --ablate NAME`. docs/ranking.md has the whole table.

export const WEIGHTS = {
  /**
   * Matching only in the heading or chapter title counts for less than matching in the passage itself.
   * Bought: docs-a…d 8 / 10; docs-glossary 18 / 9.
   */
  CONTEXT: 0.7,
  /**
   * A title-only chapter's topics (CHAPTER_TOPICS) next to its title: found by what it teaches, not outweighing a title.
   * Bought: the course sets 17 / 4 net (nothing on the docs, which have no title-only chapters).
   */
  TOPIC: 0.2,
  /**
   * Bonus when the question's subject is a chapter's title ("什么是Pod？" and the chapter "Pod").
   * Bought: docs-glossary 37 / 20.
   */
  TITLE_MATCH: 0.5,
  /**
   * Orama's BM25, normalised to the best candidate, next to term coverage.
   * Bought: docs-a…d 2 / 4, and 17 page hit@1; the course sets 5 / 4 net.
   */
  BM25: 0.15,
  /**
   * A title-only chapter whose title the question names nearly whole gets this times the share of its weight the
   * question echoes above TITLE_ECHO_FLOOR; below the floor a word or two in common lifts nothing.
   * Bought: the course sets 9 hit@1 net (fresh-d gains 3 without it).
   */
  TITLE_ECHO: 0.2,
  TITLE_ECHO_FLOOR: 0.4,
  /**
   * The share of the question's adjacent word pairs that a hit has side by side.
   * Bought: docs-a…d 10 / 5; questions 3 / 0.
   */
  PHRASE: 0.6,
  CHAPTER: 0.3,
  NEIGHBOUR: 0.3,
}

export type WeightName = keyof typeof WEIGHTS

/** For ablation runs only: one weight set to a value (0 turns its mechanism off) for the rest of the process. */
export function overrideWeight(name: string, value: number): void {
  if (!(name in WEIGHTS)) throw new Error(`no ranking weight named ${name} (known: ${Object.keys(WEIGHTS).join(', ')})`)
  WEIGHTS[name as WeightName] = value
}
