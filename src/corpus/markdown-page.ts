import { parse as parseYaml } from 'yaml'
import type { Block } from './types.js'

export interface MarkdownPage {
  /** From front matter `title:`, else the first `#` heading; empty when neither exists. */
  title: string
  frontMatter: Record<string, unknown>
  blocks: Block[]
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

/** Inline shortcodes that carry visible text (`glossary_tooltip text="容器"`) keep it; all others go. */
function stripShortcodes(text: string): string {
  return text
    .replace(/\{\{[<%][\s\S]*?[>%]\}\}/g, (code) => /\btext="([^"]*)"/.exec(code)?.[1] ?? '')
}

/** Markdown inline syntax a reader should not see: links keep their text, images and emphasis marks go. */
function stripInline(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim()
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
      const text = stripInline(paragraph.join(' '))
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
    const fence = /^\s*(```|~~~)/.exec(line)
    if (fence) {
      flush()
      const code: string[] = []
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!)
      const text = code.join('\n').trim()
      if (text) blocks.push({ type: 'code', text })
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
        const text = stripInline(paragraph.join(' '))
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
