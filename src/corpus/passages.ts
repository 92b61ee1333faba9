import type { Block, CodeSample } from './types.js'

/**
 * A passage gathers consecutive paragraphs under one heading until it holds at least this many characters: a
 * lone line ("第三部分，Init层。") joins the paragraph it introduces, and an answer reads with its context.
 * 300 rather than 250: docs-a…f passage hit@1 / hit@3 265 / 366 → 274 / 376 of 495 (docs/ranking.md).
 */
export const MIN_PASSAGE_CHARS = 300
/** Above this many characters a paragraph is cut at sentence ends; a passage grows past it only while short. */
export const MAX_PASSAGE_CHARS = 500
/** A passage's text never exceeds this, so a hit (with its heading) stays readable and within reply limits. */
export const PASSAGE_TEXT_LIMIT = 600

export interface PassageDraft {
  kind: 'paragraph' | 'list'
  heading: string
  text: string
  /** Code blocks that belong to this passage's prose: shown apart, searched with little weight. */
  code?: CodeSample[]
}

/** A passage as a reader reads it: its prose, then each of its code blocks, fenced. */
export function passageWithCode(passage: { text: string; code?: readonly CodeSample[] }): string {
  return [passage.text, ...(passage.code ?? []).map((c) => `\`\`\`${c.lang}\n${c.text}\n\`\`\``)].join('\n')
}

/** Split after Chinese and Western sentence ends, keeping the punctuation (and a closing quote) with its sentence. */
export function splitSentences(text: string): string[] {
  return text.match(/[^。！？!?]+(?:[。！？!?]+[”’"』」）)]*|$)/g)?.filter((s) => s.trim().length > 0) ?? [text]
}

/**
 * A passage's sentences, in order, line by line: a line's last sentence keeps its line break, so that list items stay
 * apart. The sentence a reply bolds and the sentence ranking looks for the answer's shape in are both among these.
 */
export function sentencesOf(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  return lines.flatMap((line, i) => {
    const sentences = splitSentences(line)
    if (i < lines.length - 1) sentences[sentences.length - 1] += '\n'
    return sentences
  })
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_PASSAGE_CHARS) return [text]
  const pieces: string[] = []
  let current = ''
  for (const sentence of splitSentences(text)) {
    // A "sentence" with no end mark in sight (a long list or a run-on line) is cut at the limit.
    for (let from = 0; from < sentence.length; from += MAX_PASSAGE_CHARS) {
      const part = sentence.slice(from, from + MAX_PASSAGE_CHARS)
      if (current.length > 0 && current.length + part.length > MAX_PASSAGE_CHARS) {
        pieces.push(current)
        current = ''
      }
      current += part
    }
  }
  if (current.length > 0) pieces.push(current)
  return pieces
}

/** One paragraph or list, with the code that follows it before the next prose. */
interface Unit {
  kind: PassageDraft['kind']
  text: string
  code: CodeSample[]
}

/**
 * Turn blocks into passages. Within a section (the blocks under one heading), units of prose are gathered in
 * reading order until a passage reaches MIN_PASSAGE_CHARS; a paragraph ending in "：" stays with its list; long
 * paragraphs are cut at sentence ends. A code block belongs to the prose before it (or, at a section's start,
 * after it) and is never a passage of its own; a section with only code keeps it under its heading's words.
 */
export function blocksToPassages(blocks: readonly Block[]): PassageDraft[] {
  const drafts: PassageDraft[] = []
  const headings: string[] = []
  let units: Unit[] = []
  let leadingCode: CodeSample[] = []

  const flushSection = () => {
    const heading = headings.filter(Boolean).join(' › ')
    const first = drafts.length
    if (units.length === 0 && leadingCode.length > 0) {
      // A section of code alone: it goes with the prose before it, or stands under its heading's words.
      const previous = drafts.at(-1)
      if (previous) previous.code = [...(previous.code ?? []), ...leadingCode]
      else units.push({ kind: 'paragraph', text: heading || leadingCode[0]!.text.split('\n')[0]!, code: [] })
    }
    if (units.length > 0) units[0]!.code.unshift(...leadingCode)
    let current: PassageDraft | undefined
    let lastStartsMidParagraph = false
    for (const unit of units) {
      splitLong(unit.text).forEach((piece, i) => {
        // Pieces of one paragraph join as they were; paragraphs join on a new line.
        const separator = i === 0 ? '\n' : ''
        if (current !== undefined && current.text.length < MIN_PASSAGE_CHARS && current.text.length + piece.length <= PASSAGE_TEXT_LIMIT) {
          current.text += separator + piece
          if (unit.kind === 'list') current.kind = 'list'
        } else {
          current = { kind: unit.kind, heading, text: piece }
          drafts.push(current)
          lastStartsMidParagraph = i > 0
        }
      })
      // A unit's code goes with the passage that holds its last piece.
      if (unit.code.length > 0 && current) current.code = [...(current.code ?? []), ...unit.code]
    }
    // A short last passage ("所以说，……。") closes the one before it rather than standing alone.
    const last = drafts.at(-1)
    const before = drafts.length - first >= 2 ? drafts.at(-2) : undefined
    if (last && before && last.text.length < MIN_PASSAGE_CHARS && before.text.length + last.text.length < PASSAGE_TEXT_LIMIT) {
      before.text += (lastStartsMidParagraph ? '' : '\n') + last.text
      if (last.kind === 'list') before.kind = 'list'
      if (last.code) before.code = [...(before.code ?? []), ...last.code]
      drafts.pop()
    }
    units = []
    leadingCode = []
  }

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!
    switch (block.type) {
      case 'heading':
        flushSection()
        headings.length = block.level - 1
        headings[block.level - 2] = block.text
        break
      case 'paragraph': {
        const next = blocks[i + 1]
        if (/[：:]\s*$/.test(block.text) && next?.type === 'list') {
          units.push({ kind: 'list', text: `${block.text}\n${next.text}`, code: [] })
          i++
        } else units.push({ kind: 'paragraph', text: block.text, code: [] })
        break
      }
      case 'list':
        units.push({ kind: 'list', text: block.text, code: [] })
        break
      case 'code': {
        const sample: CodeSample = { lang: block.lang ?? '', text: block.text }
        if (units.length > 0) units.at(-1)!.code.push(sample)
        else leadingCode.push(sample)
        break
      }
    }
  }
  flushSection()
  return drafts
}
