import type { JiebaDictionary } from './jieba-dictionary.js'
import type { Segmenter } from './segmenter.js'

/**
 * A word of the corpus that jieba's dictionary undervalues, and the frequency that makes jieba cut it whole. jieba
 * has 字段 ("field") at frequency 6, so it cuts it 字 / 段 wherever a neighbour does not force it otherwise: in the
 * text and in a question alike, and two everyday characters then stand for a key term. Kept in the index, so that
 * answering cuts questions as indexing cut the text. Bought (session 10, docs/ranking.md): docs-a…g passage hit@1 /
 * hit@3 +2 / +1 and page hit@1 +5 of 575; the course sets unchanged (their seed pages have no such word).
 */
export type CorpusWord = readonly [word: string, frequency: number]

/** What it takes for a dictionary word to be cut whole: jieba cuts it apart this often, and in this share of its uses. */
const MIN_SPLITS = 10
const MIN_SPLIT_SHARE = 0.5
/**
 * How much likelier than its pieces together a boosted word is made. Any factor from 2 to 10 picked and cut the
 * same words on the docs.
 */
const OVER_PIECES = 4
/**
 * How much text is read to find them: passages spread evenly over the corpus, up to about this many characters. The
 * k8s docs have 1.1 million (half a second); a corpus of 100k passages would otherwise take ten times that.
 */
const SAMPLE_CHARACTERS = 2_000_000

const HAN_RUN = /\p{Script=Han}{2,}/gu

/**
 * The dictionary words that jieba, in the corpus's own text, cuts into pieces that lie inside the word (nothing
 * around it claims its characters) at least MIN_SPLITS times and in at least MIN_SPLIT_SHARE of its uses. Substrings
 * of longer words are not picked: jieba cuts 以使 in 可以使用 across the word's edges, not inside it. On the k8s docs
 * this finds 字段, 后端, 所需, 挂起, 启动时 and a few pairs of function words (更多, 不在).
 */
export function undervaluedWords(texts: readonly string[], jieba: Pick<Segmenter, 'cut'>, dictionary: JiebaDictionary): CorpusWord[] {
  const uses = new Map<number, number>()
  const splits = new Map<number, number>()
  const words = new Map<number, string>() // a dictionary line's word, made once
  const edges = new Uint8Array(1024)
  let characters = 0
  for (const text of texts) characters += text.length
  const stride = Math.max(1, Math.ceil(characters / SAMPLE_CHARACTERS))
  for (let t = 0; t < texts.length; t += stride) {
    const text = texts[t]!
    for (const [run] of text.matchAll(HAN_RUN)) {
      const edge = run.length < edges.length ? edges.fill(0, 0, run.length + 1) : new Uint8Array(run.length + 1)
      let at = 0
      edge[0] = 1
      for (const word of jieba.cut(run, true)) edge[(at += word.length)] = 1
      for (const line of new Set(dictionary.wordsIn(run))) {
        let word = words.get(line)
        if (word === undefined) words.set(line, (word = dictionary.word(line)))
        if (word.length < 2) continue
        for (let start = run.indexOf(word); start >= 0; start = run.indexOf(word, start + 1)) {
          uses.set(line, (uses.get(line) ?? 0) + 1)
          const end = start + word.length
          if (edge[start] !== 1 || edge[end] !== 1) continue
          for (let inside = start + 1; inside < end; inside++) {
            if (edge[inside] === 1) {
              splits.set(line, (splits.get(line) ?? 0) + 1)
              break
            }
          }
        }
      }
    }
  }
  const found: CorpusWord[] = []
  for (const [line, split] of splits) {
    if (split < MIN_SPLITS || split < MIN_SPLIT_SHARE * uses.get(line)!) continue
    const word = words.get(line)!
    // jieba weighs a cut by the product of its words' shares of the total frequency.
    let piecesShare = 1
    for (const piece of jieba.cut(word, false)) piecesShare *= (dictionary.frequencyOf(piece) || 1) / dictionary.totalFrequency // jieba's weight for an unknown piece
    found.push([word, Math.max(dictionary.frequency(line), Math.ceil(OVER_PIECES * piecesShare * dictionary.totalFrequency))])
  }
  return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}
