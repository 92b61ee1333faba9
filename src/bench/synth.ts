// Synthetic corpora of any size, grown from real passages, for the scale benchmark.
import type { Corpus } from '../corpus/load-corpus.js'
import { splitSentences } from '../corpus/passages.js'
import type { Chapter, Passage, TocEntry } from '../corpus/types.js'
import { seededRandom, shuffle } from './stats.js'

/** The real text the benchmark starts from, as plain data (written to a file and shared with worker processes). */
export interface BaseCorpus {
  toc: TocEntry[]
  chapters: Chapter[]
  passages: Passage[]
  /** Passages every size keeps (the course seeds: the eval questions are about them). */
  keepIds: string[]
}

export type BenchCorpus = Pick<Corpus, 'toc' | 'chapters' | 'passages'>

export interface SynthStats {
  passages: number
  realPassages: number
  syntheticPassages: number
  chapters: number
  syntheticChapters: number
  /** Distinct inserted pseudo-terms (each becomes one or more new index tokens). */
  insertedTerms: number
}

const CONSONANTS = 'bdfgklmnprstvz'
const VOWELS = 'aeiou'

/** The j-th pseudo-word: three consonant–vowel syllables ("kamolu"); every fifth joins two ("zerivo-tanel"). */
export function pseudoTerm(j: number): string {
  const syllables = CONSONANTS.length * VOWELS.length
  const word = (n: number) => {
    let s = ''
    for (let i = 0; i < 3; i++) {
      const k = n % syllables
      s += CONSONANTS[Math.floor(k / VOWELS.length)]! + VOWELS[k % VOWELS.length]!
      n = Math.floor(n / syllables)
    }
    return n > 0 ? `${s}${n}` : s
  }
  return j % 5 === 4 ? `${word(j)}-${word(j * 7 + 13)}` : word(j)
}

/** Each part of a heading ("概念 › 示例") with a word added, so that every part is new. */
function withWord(heading: string, word: string): string {
  return heading ? heading.split(' › ').map((part) => `${part} ${word}`).join(' › ') : ''
}

/** Zipf(s = 1) sampler over ranks 0..n-1: a few terms are common, most are rare, as in real text. */
function zipfSampler(n: number, random: () => number): () => number {
  const cdf = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1)
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * A corpus of exactly `size` passages (fewer only if the base is smaller than the seeds it must keep).
 *
 * - At or below the real size: the seed passages plus a seeded random sample of the others, in corpus order.
 * - Above it: every real passage, then variants of real passages, round after round. A variant of a passage
 *   has its sentences (or list items) in a new order, sometimes one sentence swapped for a sentence of another
 *   passage, and three inserted pseudo-terms drawn Zipf-wise from a pool that grows with the corpus, so the
 *   vocabulary keeps growing. Variants of round r belong to a twin chapter (`<key>~r`, URL with
 *   `#bench-copy-r`), so every hit still has a chapter. As in a real corpus that grows, every twin chapter has a
 *   title of its own and every section of it a heading of its own (the source's title or heading plus a new
 *   word), so titles and headings grow in proportion to the passages.
 */
export function synthesizeCorpus(base: BaseCorpus, size: number, seed = 1): { corpus: BenchCorpus; stats: SynthStats } {
  const random = seededRandom(seed * 1_000_003 + size)
  const keep = new Set(base.keepIds)
  const order = new Map(base.passages.map((p, i) => [p.id, i]))
  let passages: Passage[]
  let chapters = base.chapters
  let synthetic = 0
  let syntheticChapters = 0
  let insertedTerms = 0

  if (size <= base.passages.length) {
    const kept = base.passages.filter((p) => keep.has(p.id)).slice(0, size)
    const others = shuffle(base.passages.filter((p) => !keep.has(p.id)), random).slice(0, Math.max(0, size - kept.length))
    passages = [...kept, ...others].sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  } else {
    passages = [...base.passages]
    const sources = base.passages.filter((p) => p.kind !== 'comment')
    if (sources.length === 0) throw new Error('the base corpus has no passages to grow a synthetic corpus from')
    const chapterByKey = new Map(base.chapters.map((c) => [c.key, c]))
    const twins: Chapter[] = []
    const twinKeys = new Set<string>()
    /** Twin section (twin chapter + source heading) → its own heading. */
    const twinHeadings = new Map<string, string>()
    const need = size - base.passages.length
    const pool = Math.max(500, Math.round(need * 0.6))
    const nextTerm = zipfSampler(pool, random)
    // Words of their own for titles and headings, numbered past the pool of inserted terms so that none repeats.
    let nextOwnWord = pool
    const ownWord = () => pseudoTerm(nextOwnWord++)
    const usedTerms = new Set<number>()
    const allSentences = sources.map((p) => p.text)
    for (let round = 1; synthetic < need; round++) {
      for (const source of shuffle([...sources], random)) {
        if (synthetic >= need) break
        const chapter = chapterByKey.get(source.chapterKey)
        if (!chapter) continue
        const twinKey = `${chapter.key}~${round}`
        if (!twinKeys.has(twinKey)) {
          twinKeys.add(twinKey)
          twins.push({ ...chapter, key: twinKey, title: `${chapter.title} ${ownWord()}`, url: `${chapter.url}#bench-copy-${round}`, hasText: true })
        }
        const section = `${twinKey}\n${source.heading}`
        let heading = twinHeadings.get(section)
        if (heading === undefined) twinHeadings.set(section, (heading = withWord(source.heading, ownWord())))
        const isList = source.kind === 'list'
        const pieces = isList ? source.text.split('\n') : splitSentences(source.text)
        if (random() < 0.5) {
          const other = allSentences[Math.floor(random() * allSentences.length)]!
          const otherPieces = splitSentences(other)
          pieces[Math.floor(random() * pieces.length)] = otherPieces[Math.floor(random() * otherPieces.length)]!
        }
        shuffle(pieces, random)
        for (let t = 0; t < 3; t++) {
          const j = nextTerm()
          usedTerms.add(j)
          const term = pseudoTerm(j)
          pieces.splice(Math.floor(random() * (pieces.length + 1)), 0, isList ? `- ${term}` : ` ${term} `)
        }
        passages.push({
          id: `${twinKey}#${synthetic}`,
          kind: source.kind,
          chapterKey: twinKey,
          heading,
          text: pieces.join(isList ? '\n' : '').trim(),
          source: `bench:${source.source}`,
        })
        synthetic++
      }
    }
    chapters = [...base.chapters, ...twins]
    syntheticChapters = twins.length
    insertedTerms = usedTerms.size
  }
  return {
    corpus: { toc: base.toc, chapters, passages },
    stats: {
      passages: passages.length,
      realPassages: passages.length - synthetic,
      syntheticPassages: synthetic,
      chapters: chapters.length,
      syntheticChapters,
      insertedTerms,
    },
  }
}
