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
 * `text`, its `term_id` ("deployment"). All other shortcodes (`{{< note >}}`…) go.
 */
function stripShortcodes(text: string): string {
  return text.replace(/\{\{[<%][\s\S]*?[>%]\}\}/g, (code) => {
    const visible = /\btext="([^"]*)"/.exec(code)?.[1]
    if (visible !== undefined) return visible
    return /^\{\{[<%]\s*glossary_tooltip\b/.test(code) ? (/\bterm_id="([^"]*)"/.exec(code)?.[1]?.replace(/-/g, ' ') ?? '') : ''
  })
}

function stripProse(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
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
  return lines.reduce((joined, line) => {
    if (!joined) return line
    // Chinese characters and full-width punctuation only: "[link]" and "`code`" still get their space.
    const cjkSeam = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]$/u.test(joined) && /^[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(line)
    return cjkSeam ? joined + line : `${joined} ${line}`
  }, '')
}

const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d+[.)])\s+/

export function parseMarkdownPage(source: string): MarkdownPage {
  let frontMatter: Record<string, unknown> = {}
  let body = source
  const fm = FRONT_MATTER.exec(source)
  if (fm) {
    const parsed: unknown = parseYaml(fm[1] ?? '')
    if (parsed && typeof parsed === 'object') frontMatter = parsed as Record<string, unknown>
    body = source.slice(fm[0].length)
  }
  body = stripShortcodes(body.replace(/<!--[\s\S]*?-->/g, ''))

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
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading) {
      flush()
      const text = stripInline(heading[2]!.replace(/\s*\{#[^}]*\}\s*$/, ''))
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
