import { parse as parseYaml } from 'yaml'
import type { Block } from './types.js'

export interface MarkdownPage {
  /** From front matter `title:`, else the first `#` heading; empty when neither exists. */
  title: string
  frontMatter: Record<string, unknown>
  blocks: Block[]
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

/**
 * Inline shortcodes that stand for visible words keep them: `glossary_tooltip text="容器"` → 容器, and without
 * `text`, its `term_id` ("deployment"). All other shortcodes (`{{< note >}}`…) go. A scan, not a lazy regex:
 * with many unclosed `{{<`, a regex would search to the end of the page from each.
 */
function stripShortcodes(text: string): string {
  return replaceBetween(text, /\{\{[<%]/g, /[>%]\}\}/g, (code) => {
    const visible = /\btext="([^"]*)"/.exec(code)?.[1]
    if (visible !== undefined) return visible
    return /^\{\{[<%]\s*glossary_tooltip\b/.test(code) ? (/\bterm_id="([^"]*)"/.exec(code)?.[1]?.replace(/-/g, ' ') ?? '') : ''
  })
}

/**
 * Each span from an `open` match to the next `close` match replaced; text after an unclosed `open` is kept as
 * it is. Linear: every search starts where the last one ended, and the first unclosed span ends the scan.
 */
function replaceBetween(text: string, open: RegExp, close: RegExp, replace: (span: string) => string): string {
  let out = ''
  let at = 0
  for (;;) {
    open.lastIndex = at
    const start = open.exec(text)
    if (!start) break
    close.lastIndex = start.index + start[0].length
    const end = close.exec(text)
    if (!end) break
    const spanEnd = end.index + end[0].length
    out += text.slice(at, start.index) + replace(text.slice(start.index, spanEnd))
    at = spanEnd
  }
  return out + text.slice(at)
}

// Each pattern's runs stop at the next opening character too ("[^[\]]", "[^<>]"), so no match attempt scans
// past the next one: linear in the text, where "[^\]]*" after many unclosed "[" was quadratic.
function stripProse(text: string): string {
  return text
    .replace(/!\[[^[\]]*\]\([^()]*\)/g, '')
    .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/\[([^[\]]*)\]\[[^[\]]*\]/g, '$1')
    .replace(/<[^<>]+>/g, '')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, '$1$2')
}

/**
 * Markdown inline syntax a reader should not see: links keep their text, images, tags and emphasis marks go.
 * Inline code is kept as written, so `<服务名称>.svc` keeps its placeholders.
 */
function stripInline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length >= 2 ? part.slice(1, -1) : stripProse(part)))
    .join('')
    .replace(/[ \t]+/g, ' ')
    .trim()
}

/** Join wrapped source lines: with a space between Latin words, with nothing between Chinese characters. */
function joinLines(lines: readonly string[]): string {
  const CJK_END = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]$/u
  const CJK_START = /^[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u
  // Parts joined once, each seam judged by the two lines beside it: testing the text joined so far would walk
  // all of it for every line.
  const parts: string[] = []
  let previous = ''
  for (const line of lines) {
    if (!line) continue
    // Chinese characters and full-width punctuation only: "[link]" and "`code`" still get their space.
    if (previous && !(CJK_END.test(previous.slice(-2)) && CJK_START.test(line))) parts.push(' ')
    parts.push(line)
    previous = line
  }
  return parts.join('')
}

/** "标题 ##" → "标题": the closing hashes an ATX heading may have, without a regex that backtracks on long lines. */
function closingHashesRemoved(text: string): string {
  const trimmed = text.trimEnd()
  let end = trimmed.length
  while (end > 0 && trimmed[end - 1] === '#') end--
  return end === 0 || end === trimmed.length || /\s/.test(trimmed[end - 1]!) ? trimmed.slice(0, end).trimEnd() : trimmed
}

const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d+[.)])\s+/

/** A page's front matter (YAML between `---` lines at its top), parsed, and the text after it. */
export function splitFrontMatter(source: string): { frontMatter: Record<string, unknown>; body: string } {
  const fm = FRONT_MATTER.exec(source)
  if (!fm) return { frontMatter: {}, body: source }
  const parsed: unknown = parseYaml(fm[1] ?? '')
  return { frontMatter: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}, body: source.slice(fm[0].length) }
}

export function parseMarkdownPage(source: string): MarkdownPage {
  const { frontMatter, body: raw } = splitFrontMatter(source)
  const body = stripShortcodes(replaceBetween(raw, /<!--/g, /-->/g, () => ''))

  let title = typeof frontMatter.title === 'string' ? frontMatter.title.trim() : ''
  const blocks: Block[] = []
  const lines = body.split(/\r?\n/)
  let paragraph: string[] = []
  let list: string[] = []
  const flush = () => {
    if (paragraph.length > 0) {
      const text = stripInline(joinLines(paragraph))
      if (text) blocks.push({ type: 'paragraph', text })
      paragraph = []
    }
    if (list.length > 0) {
      const text = list.map((item) => `- ${stripInline(item)}`).join('\n')
      blocks.push({ type: 'list', text })
      list = []
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const fence = /^\s*(```|~~~)\s*([\w+-]*)/.exec(line)
    if (fence) {
      flush()
      const code: string[] = []
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!)
      const text = code.join('\n').trim()
      if (text) blocks.push({ type: 'code', text, ...(fence[2] ? { lang: fence[2].toLowerCase() } : {}) })
      continue
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      flush()
      const text = stripInline(closingHashesRemoved(heading[2]!).replace(/\{#[^{}]*\}$/, '').trimEnd())
      const level = heading[1]!.length
      if (level === 1 && !title) title = text
      else if (level > 1 && text) blocks.push({ type: 'heading', level: level === 2 ? 2 : 3, text })
      continue
    }
    if (line.trim() === '') {
      flush()
      continue
    }
    if (LIST_ITEM.test(line)) {
      if (paragraph.length > 0 && list.length === 0) {
        // "…如下：" directly above a list: the paragraph and its list stay adjacent blocks.
        const text = stripInline(joinLines(paragraph))
        if (text) blocks.push({ type: 'paragraph', text })
        paragraph = []
      }
      list.push(line.replace(LIST_ITEM, ''))
    } else if (list.length > 0 && /^\s+\S/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`
    } else {
      if (list.length > 0) flush()
      paragraph.push(line.trim())
    }
  }
  flush()
  return { title: stripInline(title), frontMatter, blocks }
}
