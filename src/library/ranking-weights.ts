// Every weight the ranking adds up, in one place, each with what it bought: the questions lost when it is set to 0
// (`npm run eval -- --all --ablate NAME`), as passage hit@1 / hit@3 / page hit@1 on the tuning sets docs-a…c, then
// on docs-d…f (written blind; each measured once before it was tuned on), and hit@1 / hit@3 on the course sets.
// docs/ranking.md has the whole table, set by set (re-measured on session 10's ranking: each still buys something).
// How the question's words are counted has no weight: a Chinese word and its search-mode pieces count once (ranker.ts).
// Nor has how the text is cut: words the corpus uses whole that jieba's dictionary undervalues are cut whole
// (corpus-words.ts, with what that bought).

export const WEIGHTS = {
  /**
   * Not added up but a scale: a term's weight is multiplied by its IDF in general Chinese text over this, where that
   * is lower (general-rarity.ts), so everyday words ("上", "处理", "期间") count for less than the words a question is
   * about. 0 scales no word. Session 11 raised it from 8, where "节点", "镜像" and "服务器" weighed as much as the
   * rarest word. 11 rather than 8 bought docs-a…g 6 / 0 / 3, docs-h…r 1 / 1 / 7, the course sets 2 / −1, and on the docs
   * merged into course-length chapters (`npm run eval -- --all --merged`, 20 sets) 13 / 3 / 21. At 0 docs-a…g lose
   * 15 / 5 / 28, the course sets 44 / 16.
   */
  GENERAL_IDF: 11,
  /**
   * Matching only in the heading or chapter title counts for less than matching in the passage itself.
   * Bought: docs-a…c 5 / 3 / 2, docs-d…f 4 / 3 / 2; docs-glossary 13 / 7.
   */
  CONTEXT: 0.7,
  /**
   * Matching only in a passage's code counts for less than in its prose, so that a question is not answered by
   * code alone. Bought: docs-a…c 5 / 5 / 9, docs-d…f 4 / 4 / 3. At 1 (code as prose) docs-a…c would gain
   * 4 / 0 / 2 and docs-d…f lose 2 / −1 / 0.
   */
  CODE: 0.7,
  /** Bonus when the question's subject is a chapter's title ("什么是Pod？" and the chapter "Pod"). Bought: docs-glossary 40 / 24. */
  TITLE_MATCH: 0.5,
  /** Orama's BM25, normalised to the best candidate, next to term coverage. Bought: docs-a…c 6 / 0 / 9, docs-d…f 7 / 3 / 5; the course sets 3 / 4. */
  BM25: 0.15,
  /** The share of the question's adjacent word pairs that a hit has side by side. Bought: docs-a…c 3 / 4 / 3, docs-d…f 0 / 2 / −1; the course sets 3 / 2. */
  PHRASE: 0.3,
  /**
   * A chapter's BM25 for the question (Library.chapterScores), normalised to the best chapter's, lifts its passages.
   * Bought: docs-a…c 10 / 4 / 18, docs-d…f 4 / 6 / 11; the course sets 29 / 3 (docs-glossary loses 3 hit@1).
   */
  CHAPTER: 0.3,
  /**
   * The share of the question's weight in the hit's chapter title, counted even where its text has the words too:
   * a page whose title names the question's subject is about it. Bought: docs-a…c 1 / 2 / 3, docs-d…f 0 / 0 / 0;
   * the course sets 6 / 3.
   */
  TITLE_SHARE: 0.1,
  /**
   * The share of the question's weight in the passage's heading path, counted even where its text has the words too:
   * the section says what the passage is about. Bought: docs-a…c 2 / 5 / 0, docs-d…f 3 / 3 / 3 (docs-glossary
   * loses 2 hit@1).
   */
  HEADING_SHARE: 0.2,
  /**
   * A question word that the passage holds only inside a longer word of its own ("高" in "较高", "装" in "安装"):
   * jieba cuts question and text apart differently. Bought: docs-a…c −1 / 2 / 0, docs-d…f 3 / 4 / 5; the course
   * sets 4 / 1.
   */
  INSIDE_WORD: 0.3,
}

export type WeightName = keyof typeof WEIGHTS

/** For ablation runs only: one weight set to a value (0 turns its mechanism off) for the rest of the process. */
export function overrideWeight(name: string, value: number): void {
  if (!(name in WEIGHTS)) throw new Error(`no ranking weight named ${name} (known: ${Object.keys(WEIGHTS).join(', ')})`)
  WEIGHTS[name as WeightName] = value
}
