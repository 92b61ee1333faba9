// Every weight the ranking adds up, in one place, each with what it bought: the questions lost when it is set to 0
// (`npm run eval -- --all --ablate NAME`), as passage hit@1 / hit@3 / page hit@1 on the tuning sets docs-a…c, then
// on docs-d…g (each measured once, blind, before it was tuned on), hit@1 / hit@3 on the course sets, and passage
// hit@1 / hit@3 / chapter hit@1 / hit@3 on docs-a…g with the docs merged into course-length chapters (`--merged`).
// Measured on session 15's ranking; docs/ranking.md has the whole table, set by set, and sums over docs-h…ah: each
// still buys something.
// How the question's words are counted has no weight: a Chinese word and its search-mode pieces count once (ranker.ts).
// Nor has how the text is cut: words the corpus uses whole that jieba's dictionary undervalues are cut whole
// (corpus-words.ts, with what that bought). Nor have the hand-made tables (glossary.ts, thesaurus.ts): they count for
// every hit where most chapters are known by their title alone, as on the seed pages, and elsewhere for title-only
// chapters alone (Ranker.questionTerms); for passages with text they cost 86 questions on the pages and 93 merged
// (docs-h…af, the four figures summed, session 15).

export const WEIGHTS = {
  /**
   * Not added up but a scale: a term's weight is multiplied by its IDF in general Chinese text over this, where that
   * is lower (general-rarity.ts), so everyday words ("上", "处理", "期间") count for less than the words a question is
   * about. 0 scales no word. Bought: docs-a…c 4 / 6 / 6, docs-d…g 5 / 3 / 3; the course sets 49 / 8; merged 11 / 7 /
   * 16 / 1. Session 11 raised it from 8, where "节点", "镜像" and "服务器" weighed as much as the rarest word: 8 would
   * lose docs-d…g 7 / −2 / 5, the course sets 5 / −2, merged 5 / −3 / 13 / −3 (and gain docs-a…c 1 / 2 / 0).
   */
  GENERAL_IDF: 11,
  /**
   * Matching only in the heading or chapter title counts for less than matching in the passage itself.
   * Bought: docs-a…c 5 / 3 / 1, docs-d…g −1 / 2 / −1; the course sets 1 / 0; docs-glossary 15 / 6; merged 1 / 5 / 3 / −4.
   */
  CONTEXT: 0.7,
  /**
   * Matching only in a passage's code counts for less than in its prose, so that a question is not answered by
   * code alone. Bought: docs-a…c 4 / 8 / 5, docs-d…g 7 / 4 / 3; merged 12 / 18 / 12 / 7. At 1 (code as prose) the
   * four figures summed over docs-h…ah would lose 30 on the pages and 27 merged (docs-a…g −1 to +1): code stays
   * weighted low, as the course's dumps and manifests need.
   */
  CODE: 0.7,
  /** Bonus when the question's subject is a chapter's title ("什么是Pod？" and the chapter "Pod"). Bought: docs-glossary 32 / 17. */
  TITLE_MATCH: 0.5,
  /**
   * Orama's BM25, normalised to the best candidate, next to term coverage. Bought: docs-a…c 0 / 4 / −1, docs-d…g
   * 10 / 7 / 5; the course sets −2 / 1; merged 16 / 10 / 14 / 4.
   */
  BM25: 0.15,
  /**
   * The share of the question's adjacent word pairs that a hit has side by side. Bought: docs-a…c −2 / 5 / −3, docs-d…g
   * 3 / 7 / 1; the course sets 6 / 2; merged 2 / 4 / 1 / 3; the four figures summed over docs-h…ah 110, merged 131.
   * Session 15 raised it from 0.3, once the hand-made tables no longer applied to text: over docs-h…af, the four
   * figures summed, 0.3 / 0.4 / 0.6 / 0.8 / 1 gave 6,005 / 6,024 / 6,022 / 6,022 / 6,016 on the pages and 6,007 /
   * 6,031 / 6,054 / 6,064 / 6,032 merged; at 0.8 docs-a…g +6 and merged +4, the course sets +4 / +1.
   */
  PHRASE: 0.8,
  /**
   * A chapter's BM25 for the question (Library.chapterScores), normalised to the best chapter's, lifts its passages.
   * Bought: docs-a…c 8 / 4 / 10, docs-d…g 6 / 6 / 15; the course sets 16 / −1 (docs-glossary loses 1 hit@1); merged
   * −2 / −1 / 7 / −5 (LONG_QUESTION lowers it there); the four figures summed over docs-h…ah 100, merged 24. 0.25
   * rather than 0.3 (session 11's search of every weight on docs-a…g, merged docs-a…g and the course sets, with
   * TITLE_SHARE and INSIDE_WORD): see docs/ranking.md.
   */
  CHAPTER: 0.25,
  /**
   * Where chapters are long (LONG_CHAPTER), a question of more words than this leans on its chapter's score in
   * proportion: CHAPTER × this / its words. A long question's everyday words are in every long chapter, and the chapter
   * that has the most of them is seldom the one asked about (the course's long reader questions drifted so). 0 turns it
   * off. Bought: merged, the four figures summed over docs-h…ab 25 when chosen (session 14; over docs-h…ah 38 now),
   * docs-a…g −1 / 4 / −1 / 5; the pages and the course sets are unchanged, as their chapters are short. Applied to
   * every corpus, it lost the pages 33.
   */
  LONG_QUESTION: 7,
  /**
   * The share of the question's weight in the hit's chapter title, counted even where its text has the words too:
   * a page whose title names the question's subject is about it. Bought: docs-a…c 5 / 3 / 5, docs-d…g 2 / 0 / 5;
   * the course sets 8 / 0; merged 0 / 1 / 3 / 0.
   */
  TITLE_SHARE: 0.2,
  /**
   * The share of the question's weight in the passage's heading path, counted even where its text has the words too:
   * the section says what the passage is about. Bought: docs-a…c 2 / 4 / −1, docs-d…g 1 / 0 / 1; merged 7 / 9 / 7 / 0;
   * the four figures summed over docs-h…ah 33, merged 70.
   */
  HEADING_SHARE: 0.2,
  /**
   * A question word that the passage holds only inside a longer word of its own ("高" in "较高", "装" in "安装"):
   * jieba cuts question and text apart differently. Bought: docs-a…c 1 / 3 / −1, docs-d…g 2 / 6 / 3; the course
   * sets 2 / 0; merged 2 / 5 / 0 / −1.
   */
  INSIDE_WORD: 0.4,
  /**
   * A passage that names a question word again is more about it: per word, its weight times BM25's saturating term
   * frequency over the repeats past the first (ranker.ts, REPEAT_K), as a share of the question's weight. Bought:
   * docs-a…c 7 / 2 / 2, docs-d…g 0 / 3 / 1; the course sets −1 / 0; merged 9 / 2 / 4 / −2; the four figures summed
   * over docs-h…ah 32, merged 78. When chosen (session 12) it bought more on the sets only their sums had been seen of
   * (docs-h…r 6 / 7 / 3) than on the tuning sets, and docs-u and docs-v, blind then, 1 / 4 / 2.
   */
  REPEATS: 0.2,
  /**
   * The share of the question's weight in the passage's best sentence that has the answer's shape (answer-shape.ts):
   * for how many or which version, a sentence with a number; for why, one with a cause; for yes or no, one that says
   * not, cannot or only: the question's words and their answer side by side. Bought: docs-a…c 5 / 2 / 1, docs-d…g
   * 4 / −2 / 1; the course sets 0 / −1; merged 4 / 6 / 4 / 2; the four figures summed over docs-h…ah 86, merged 109
   * (session 12, with two shapes: docs-h…r 15 / 8 / 6, page hit@3 5). Chosen at 0.3 of 0.1–0.6; the shape anywhere in
   * a passage, rather than in one sentence with the question's words, bought nothing.
   */
  ANSWER_SHAPE: 0.3,
}

/**
 * Chapters this long on average, in passages, are long for LONG_QUESTION: the fetched course's are about 50, the docs
 * merged into course-length chapters 41, the docs pages 8.
 */
export const LONG_CHAPTER = 20

export type WeightName = keyof typeof WEIGHTS

/** For ablation runs only: one weight set to a value (0 turns its mechanism off) for the rest of the process. */
export function overrideWeight(name: string, value: number): void {
  if (!(name in WEIGHTS)) throw new Error(`no ranking weight named ${name} (known: ${Object.keys(WEIGHTS).join(', ')})`)
  WEIGHTS[name as WeightName] = value
}

/**
 * How a reply picks the answering sentence of a passage, which it bolds and links to (render/excerpt.ts): by how many
 * of the question's terms each sentence holds, plus these. Measured as how often the chosen sentence holds the
 * answer, over the passage hits in the top 3 whose text holds it (`npm run eval -- --all --sentences`), by the
 * sentence's terms alone → with these: docs-a…g and the course sets 0.520 → 0.601, docs-h…t 0.419 → 0.498, docs-u and
 * docs-v 0.397 → 0.562, docs-w and docs-x 0.411 → 0.473, docs-y and docs-z 0.435 → 0.524, docs-aa…af 0.404 → 0.484,
 * docs-ag…al 0.465 → 0.596 (session 16). Some sentence holds the answer in 98% of those hits.
 */
export const ANSWER_SENTENCE = {
  /**
   * The share of the previous sentence's terms a sentence adds: an answer often follows the sentence that restates the
   * question. Without it all sets 0.509; at 0.2 / 0.4 / 0.5 0.534 / 0.543 / 0.536 (with SHAPE 4).
   */
  PREVIOUS: 0.3,
  /**
   * Added when the sentence has the answer's shape (answer-shape.ts): a number for how many, a cause for why. As much
   * as four terms: where the question tells a shape, the shaped sentence with the most terms is bolded, unless another
   * has four more. At 1 (session 12) all sets 0.525; at 4 0.541, and each group above gains or holds (3: 0.539, 6:
   * 0.540).
   */
  SHAPE: 4,
}
