import { Parser } from 'htmlparser2'
import type { Block } from './types.js'

/**
 * HTML read as a stream of tags and text (htmlparser2's callbacks), never as a tree: time and memory grow
 * with the page's size, and nothing recurses on how deeply elements nest (a page of 100k nested `<div>`s once
 * overflowed the stack). Open elements are an array; each handler keeps a constant number of captures.
 */
export interface HtmlHandler {
  /** `depth` is the element's place in the stack of open elements (0 for the outermost). */
  open(name: string, attribs: Readonly<Record<string, string>>, depth: number): void
  text(text: string): void
  close(name: string, depth: number): void
}

export function streamHtml(html: string, handler: HtmlHandler): void {
  const open: string[] = []
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        handler.open(name, attribs, open.length)
        open.push(name)
      },
      ontext(text) {
        handler.text(text)
      },
      onclosetag(name) {
        open.pop()
        handler.close(name, open.length)
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  )
  parser.end(html)
}

/** Collapse the whitespace that HTML source formatting leaves inside text. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim()
}

export function hasClass(attribs: Readonly<Record<string, string>>, name: string): boolean {
  return (attribs.class ?? '').split(/\s+/).includes(name)
}

/** Text gathered while one element is open. */
export class TextCapture {
  private parts: string[] | undefined
  /** The depth of the element being captured, or -1. */
  depth = -1

  get active(): boolean {
    return this.parts !== undefined
  }

  start(depth: number): void {
    this.parts = []
    this.depth = depth
  }

  add(text: string): void {
    this.parts?.push(text)
  }

  /** Ends the capture when `depth` is the captured element's; returns its text then, otherwise undefined. */
  end(depth: number): string | undefined {
    if (this.parts === undefined || depth !== this.depth) return undefined
    const text = this.parts.join('')
    this.parts = undefined
    this.depth = -1
    return text
  }
}

/** Subtrees whose text is never body text. */
const SKIPPED = new Set(['script', 'style', 'nav', 'noscript', 'iframe', 'form', 'button', 'head', 'title', 'template'])

type BlockKind = 'heading' | 'paragraph' | 'list' | 'code' | 'table' | 'dropped'

function blockKind(name: string): BlockKind | undefined {
  if (name === 'h1') return 'dropped' // the page's title, read apart
  if (/^h[2-6]$/.test(name)) return 'heading'
  if (name === 'p' || name === 'blockquote') return 'paragraph'
  if (name === 'ul' || name === 'ol') return 'list'
  if (name === 'pre') return 'code'
  if (name === 'table') return 'table'
  return undefined
}

/**
 * Body blocks in reading order: the outermost heading, paragraph, list, code or table elements; text outside
 * them (and inside script, style, nav…) is not body text. A list is its items, each "- " and its text; a table
 * its rows, one per line. Feed it the events of the part of the page that is the body.
 */
export class BlockCollector {
  readonly blocks: Block[] = []
  private kind: BlockKind | undefined
  private level: 2 | 3 = 2
  private readonly block = new TextCapture()
  /** A list's item or a table's row, inside `block`. */
  private readonly piece = new TextCapture()
  private pieces: string[] = []
  private skippedDepth = -1

  /** `excluded`: an element to leave out entirely (the title, the tip paragraph). */
  open(name: string, depth: number, excluded = false): void {
    if (this.skippedDepth >= 0) return
    if (excluded || SKIPPED.has(name)) {
      this.skippedDepth = depth
      return
    }
    if (!this.block.active) {
      const kind = blockKind(name)
      if (kind === undefined) return
      this.kind = kind
      this.level = name === 'h2' ? 2 : 3
      this.pieces = []
      this.block.start(depth)
    } else if (!this.piece.active && ((this.kind === 'list' && name === 'li' && depth === this.block.depth + 1) || (this.kind === 'table' && name === 'tr'))) {
      this.piece.start(depth)
    }
  }

  text(text: string): void {
    if (this.skippedDepth >= 0) return
    this.block.add(text)
    this.piece.add(text)
  }

  close(depth: number): void {
    if (this.skippedDepth >= 0) {
      if (depth === this.skippedDepth) this.skippedDepth = -1
      return
    }
    const piece = this.piece.end(depth)
    if (piece !== undefined) this.pieces.push(piece)
    const text = this.block.end(depth)
    if (text === undefined) return
    const block = this.toBlock(text)
    if (block) this.blocks.push(block)
  }

  private toBlock(text: string): Block | undefined {
    switch (this.kind) {
      case 'heading': {
        const clean = cleanText(text)
        return clean ? { type: 'heading', level: this.level, text: clean } : undefined
      }
      case 'paragraph': {
        const clean = cleanText(text)
        return clean ? { type: 'paragraph', text: clean } : undefined
      }
      case 'list': {
        const items = this.pieces.map((item) => `- ${cleanText(item)}`).filter((line) => line.length > 2)
        return items.length > 0 ? { type: 'list', text: items.join('\n') } : undefined
      }
      case 'code': {
        const code = text.trim()
        return code ? { type: 'code', text: code } : undefined
      }
      case 'table': {
        const rows = this.pieces.map(cleanText).join('\n')
        return rows ? { type: 'paragraph', text: rows } : undefined
      }
      default:
        return undefined
    }
  }
}
