import { Tokenizer } from 'htmlparser2'
import type { Block } from './types.js'

/**
 * HTML read as a stream of tags and text, never as a tree: time and memory grow with the page's size, and
 * nothing recurses on how deeply elements nest (a page of 100k nested `<div>`s once overflowed the stack).
 * htmlparser2's Tokenizer finds the tags; the open elements are kept here, in an array used from its end:
 * htmlparser2's own Parser keeps them at the front of one (`unshift`), which costs the depth on every tag,
 * 4.8 s for a page 100k elements deep.
 */
export interface HtmlHandler {
  /** `depth` is the element's place in the stack of open elements (0 for the outermost). */
  open(name: string, attribs: Readonly<Record<string, string>>, depth: number): void
  text(text: string): void
  close(name: string, depth: number): void
}

/** Elements that never have content or a closing tag. */
const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
const P = new Set(['p'])
/** An element opening while one of these is the innermost open element closes it first (as htmlparser2's Parser does). */
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map(
    (name) => [name, P] as const,
  ),
])

export function streamHtml(html: string, handler: HtmlHandler): void {
  const stack: string[] = []
  /** How many of each name are open: a closing tag for none is ignored without searching the stack. */
  const openCount = new Map<string, number>()
  let tag = ''
  let attribs: Record<string, string> = {}
  let attribName = ''
  let attribValue = ''
  const push = (name: string) => {
    handler.open(name, attribs, stack.length)
    stack.push(name)
    openCount.set(name, (openCount.get(name) ?? 0) + 1)
  }
  const pop = () => {
    const name = stack.pop()!
    openCount.set(name, openCount.get(name)! - 1)
    handler.close(name, stack.length)
  }
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        tag = html.slice(start, end).toLowerCase()
        attribs = {}
        const closes = IMPLIES_CLOSE.get(tag)
        while (closes && stack.length > 0 && closes.has(stack.at(-1)!)) pop()
      },
      onattribname(start, end) {
        attribName = html.slice(start, end).toLowerCase()
        attribValue = ''
      },
      onattribdata(start, end) {
        attribValue += html.slice(start, end)
      },
      onattribentity(codepoint) {
        attribValue += String.fromCodePoint(codepoint)
      },
      onattribend() {
        if (!Object.hasOwn(attribs, attribName)) attribs[attribName] = attribValue
      },
      onopentagend() {
        push(tag)
        if (VOID.has(tag)) pop()
      },
      // HTML ignores the slash of `<div/>`: it opens the element like any other.
      onselfclosingtag() {
        push(tag)
        if (VOID.has(tag)) pop()
      },
      onclosetag(start, end) {
        const name = html.slice(start, end).toLowerCase()
        if (VOID.has(name) || !openCount.get(name)) return
        // Every element above it closes with it: each is popped once, so the whole page costs linear time.
        while (stack.length > 0 && stack.at(-1) !== name) pop()
        pop()
      },
      ontext(start, end) {
        handler.text(html.slice(start, end))
      },
      ontextentity(codepoint) {
        handler.text(String.fromCodePoint(codepoint))
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {
        while (stack.length > 0) pop()
      },
    },
  )
  tokenizer.write(html)
  tokenizer.end()
}

/** Collapse the whitespace that HTML source formatting leaves inside text. */
export function cleanText(text: string): string {
  // Split and joined rather than replaced: a flat string, not a chain of pieces (see matchKey).
  return text.split(/[\s\u00a0]+/).filter(Boolean).join(' ')
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

/** The language a highlighter's class names ("language-yaml", "lang-go", "hljs yaml"), or ''. */
function codeLanguage(classes: string | undefined): string {
  if (!classes) return ''
  const named = /(?:^|\s)(?:language|lang)-([\w+-]{1,20})(?:\s|$)/i.exec(classes)?.[1]
  if (named) return named.toLowerCase()
  const words = classes.toLowerCase().split(/\s+/)
  return words.includes('hljs') ? (words.find((w) => w !== 'hljs' && /^[a-z][\w+-]{0,19}$/.test(w)) ?? '') : ''
}

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
  /** A code block's language, from a class of its `<pre>` or `<code>` ("language-yaml", "lang-go", "hljs yaml"). */
  private lang = ''

  /** `excluded`: an element to leave out entirely (the title, the tip paragraph). */
  open(name: string, depth: number, excluded = false, attribs: Readonly<Record<string, string>> = {}): void {
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
      this.lang = codeLanguage(attribs.class)
      this.block.start(depth)
    } else if (this.kind === 'code') {
      this.lang ||= codeLanguage(attribs.class)
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
        return code ? { type: 'code', text: code, ...(this.lang ? { lang: this.lang } : {}) } : undefined
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
