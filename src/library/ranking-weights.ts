// Every weight the ranking adds up, in one place, each with what it bought: the questions lost when it is set to 0
// (`npm run eval -- --all --ablate NAME`), as passage hit@1 / hit@3 / page hit@1 on the tuning sets docs-a…c, then
// on docs-d…g (each measured once, blind, before it was tuned on), hit@1 / hit@3 on the course sets, and passage
// hit@1 / hit@3 / chapter hit@1 / hit@3 on docs-a…g with the docs merged into course-length chapters (`--merged`).
// Measured on session 11's ranking; docs/ranking.md has the whole table, set by set: each still buys something.
// How the question's words are counted has no weight: a Chinese word and its search-mode pieces count once (ranker.ts).
// Nor has how the text is cut: words the corpus uses whole that jieba's dictionary undervalues are cut whole
// (corpus-words.ts, with what that bought).

export const WEIGHTS = {
  /**
   * Not added up but a scale: a term's weight is multiplied by its IDF in general Chinese text over this, where that
   * is lower (general-rarity.ts), so everyday words ("上", "处理", "期间") count for less than the words a question is
   * about. 0 scales no word. Bought: docs-a…c 3 / 4 / 9, docs-d…g 5 / 1 / 12; the course sets 44 / 12; merged 17 / 9 /
   * 24 / 8. Session 11 raised it from 8, where "节点", "镜像" and "服务器" weighed as much as the rarest word: 8 would
   * lose docs-d…g 2 / 2 / 3, the course sets 5 / 0, merged 9 / 5 / 10 / 4.
   */
  GENERAL_IDF: 11,
  /**
   * Matching only in the heading or chapter title counts for less than matching in the passage itself.
   * Bought: docs-a…c 5 / 4 / 0, docs-d…g 2 / 3 / −1; the course sets 2 / 0; docs-glossary 9 / 7; merged 5 / 4 / 2 / −3.
   */
  CONTEXT: 0.7,
  /**
   * Matching only in a passage's code counts for less than in its prose, so that a question is not answered by
   * code alone. Bought: docs-a…c 4 / 6 / 7, docs-d…g 10 / 6 / 5; merged 10 / 15 / 10 / 6. At 1 (code as prose)
   * docs-a…c would gain 3 / 0 / 4 and docs-d…g lose 1 / 3 / 0.
   */
  CODE: 0.7,
  /** Bonus when the question's subject is a chapter's title ("什么是Pod？" and the chapter "Pod"). Bought: docs-glossary 29 / 17. */
  TITLE_MATCH: 0.5,
  /**
   * Orama's BM25, normalised to the best candidate, next to term coverage. Bought: docs-a…c 2 / 2 / 5, docs-d…g
   * 9 / 8 / 5; the course sets 2 / 1; merged 12 / 10 / 12 / 7.
   */
  BM25: 0.15,
  /**
   * The share of the question's adjacent word pairs that a hit has side by side. Bought: docs-a…c 2 / 4 / 2, docs-d…g
   * 0 / 2 / −3; the course sets 2 / 1; merged 6 / 0 / 6 / 2.
   */
  PHRASE: 0.3,
  /**
   * A chapter's BM25 for the question (Library.chapterScores), normalised to the best chapter's, lifts its passages.
   * Bought: docs-a…c 6 / 3 / 11, docs-d…g 3 / 6 / 12; the course sets 6 / −1 (docs-glossary loses 3 hit@1); merged
   * 6 / −7 / 16 / −15. 0.25 rather than 0.3 (session 11's search of every weight on docs-a…g, merged docs-a…g and the
   * course sets, with TITLE_SHARE and INSIDE_WORD): see docs/ranking.md.
   */
  CHAPTER: 0.25,
  /**
   * The share of the question's weight in the hit's chapter title, counted even where its text has the words too:
   * a page whose title names the question's subject is about it. Bought: docs-a…c 2 / 3 / 5, docs-d…g 0 / 2 / 1;
   * the course sets 7 / 1; merged 1 / 1 / 2 / −1.
   */
  TITLE_SHARE: 0.2,
  /**
   * The share of the question's weight in the passage's heading path, counted even where its text has the words too:
   * the section says what the passage is about. Bought: docs-a…c 2 / 7 / −1, docs-d…g −1 / 7 / −2; the course sets
   * 1 / 0 (docs-glossary loses 2 hit@1); merged 8 / 5 / 6 / −2.
   */
  HEADING_SHARE: 0.2,
  /**
   * A question word that the passage holds only inside a longer word of its own ("高" in "较高", "装" in "安装"):
   * jieba cuts question and text apart differently. Bought: docs-a…c 3 / 3 / 2, docs-d…g 4 / 4 / 6; the course
   * sets 3 / 0; merged 11 / 5 / 7 / 1.
   */
  INSIDE_WORD: 0.4,
}

export type WeightName = keyof typeof WEIGHTS

/** For ablation runs only: one weight set to a value (0 turns its mechanism off) for the rest of the process. */
export function overrideWeight(name: string, value: number): void {
  if (!(name in WEIGHTS)) throw new Error(`no ranking weight named ${name} (known: ${Object.keys(WEIGHTS).join(', ')})`)
  WEIGHTS[name as WeightName] = value
}
