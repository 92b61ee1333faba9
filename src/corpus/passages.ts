import type { Block } from './types.js'

/** Below this many characters a paragraph ("你好，我是张磊。") does not stand alone; it joins a neighbour. */
export const MIN_PASSAGE_CHARS = 40
/** Above this many characters a paragraph is cut at sentence ends. */
export const MAX_PASSAGE_CHARS = 500

export interface PassageDraft {
  kind: 'paragraph' | 'list'
  heading: string
  text: string
}

/** Split after Chinese and Western sentence ends, keeping the punctuation (and a closing quote) with its sentence. */
export function splitSentences(text: string): string[] {
  return text.match(/[^。！？!?]+(?:[。！？!?]+[”’"』」）)]*|$)/g)?.filter((s) => s.trim().length > 0) ?? [text]
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_PASSAGE_CHARS) return [text]
  const pieces: string[] = []
  let current = ''
  for (const sentence of splitSentences(text)) {
    if (current.length > 0 && current.length + sentence.length > MAX_PASSAGE_CHARS) {
      pieces.push(current)
      current = ''
    }
    current += sentence
  }
  if (current.length > 0) pieces.push(current)
  return pieces
}

/**
 * Turn blocks into passages: headings become each passage's heading path; a paragraph that ends with "："
 * joins the list after it; short fragments join their neighbour within the same section; long paragraphs
 * are cut at sentence ends.
 */
export function blocksToPassages(blocks: readonly Block[]): PassageDraft[] {
  const drafts: PassageDraft[] = []
  const headings: string[] = []
  let pendingShort = ''
  let lastSection = -1
  let section = 0

  const push = (kind: PassageDraft['kind'], text: string) => {
    const heading = headings.filter(Boolean).join(' › ')
    const previous = drafts.at(-1)
    const joinable = previous !== undefined && lastSection === section
    if (pendingShort) {
      text = `${pendingShort}\n${text}`
      pendingShort = ''
    }
    if (text.length < MIN_PASSAGE_CHARS && kind === 'paragraph') {
      if (joinable && previous.text.length + text.length <= MAX_PASSAGE_CHARS) {
        previous.text += `\n${text}`
        return
      }
      pendingShort = text
      return
    }
    for (const piece of splitLong(text)) drafts.push({ kind, heading, text: piece })
    lastSection = section
  }

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!
    switch (block.type) {
      case 'heading': {
        if (pendingShort) flushPending()
        headings.length = block.level - 1
        headings[block.level - 2] = block.text
        section++
        break
      }
      case 'paragraph': {
        const next = blocks[i + 1]
        if (/[：:]\s*$/.test(block.text) && next?.type === 'list') {
          push('list', `${block.text}\n${next.text}`)
          i++
        } else push('paragraph', block.text)
        break
      }
      case 'list':
        push('list', block.text)
        break
      case 'code':
        // Code belongs to the explanation around it: attach it to the previous passage when it fits.
        if (drafts.length > 0 && lastSection === section && drafts.at(-1)!.text.length + block.text.length <= MAX_PASSAGE_CHARS) {
          drafts.at(-1)!.text += `\n${block.text}`
        } else push('paragraph', block.text)
        break
    }
  }
  if (pendingShort) flushPending()
  return drafts

  // A short fragment with nothing after it in its section still counts: keep it rather than drop it.
  function flushPending() {
    const text = pendingShort
    pendingShort = ''
    const previous = drafts.at(-1)
    if (previous && lastSection === section && previous.text.length + text.length <= MAX_PASSAGE_CHARS) {
      previous.text += `\n${text}`
    } else {
      drafts.push({ kind: 'paragraph', heading: headings.filter(Boolean).join(' › '), text })
      lastSection = section
    }
  }
}
