import { escapeMarkdown } from '@discordjs/formatters'

/**
 * Text from users or the corpus, made safe for Discord markdown: `\\`, `*`, `_`, `~`, `` ` ``, `|`, `>`, `#`,
 * links and lists render literally, however they repeat, nest or touch. Mentions are left to `allowed_mentions`
 * (never ping); the zero-width space after "@" keeps "@everyone" from even looking like a mention.
 */
export function escapeText(text: string): string {
  // Every backtick and square bracket is escaped on its own, not by escapeMarkdown's pattern rules: its
  // code-block rule leaves one of "````" live, and its masked-link rule (/\[.+]\(.+\)/, greedy) escapes only the
  // first of several links on a line. With no bare "[" or "]", no masked link can form at all.
  // escapeMarkdown runs a dozen lookbehind patterns; most pieces of Chinese text have nothing any of them acts on.
  const marked = MARKDOWN_TRIGGERS.test(text) ? escapeMarkdown(text, ESCAPED) : text
  return marked
    .replace(/[`[\]]/g, '\\$&')
    .replace(/@(?=[a-z&!#]|\u200b)/gi, '@\u200b').replace(/<(?=[@#:&])/g, '<\u200b')
}

const ESCAPED = { heading: true, bulletedList: true, numberedList: true, maskedLink: false, inlineCode: false, codeBlock: false }
/**
 * The characters escapeMarkdown acts on with ESCAPED: emphasis, strike, spoiler and escape marks, headings and lists
 * (and `>`, which none of its rules escapes): text without any of them comes back from it unchanged.
 */
const MARKDOWN_TRIGGERS = /[\\*_~|>#-]|\d\./

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Escape a passage and bold the query terms found in it. Terms (normalised, lower-case) are matched
 * case-insensitively, then each piece is escaped on its own, so escaping never breaks a match or a bold marker.
 */
export function highlight(text: string, terms: readonly string[]): string {
  const usable = [...new Set(terms)].filter((t) => t.length >= 2).sort((a, b) => b.length - a.length)
  if (usable.length === 0) return escapeText(text)
  const pattern = new RegExp(usable.map(escapeRegExp).join('|'), 'giu')
  let out = ''
  let last = 0
  for (const match of text.matchAll(pattern)) {
    out += `${escapeText(text.slice(last, match.index))}**${escapeText(match[0])}**`
    last = match.index + match[0].length
  }
  // Adjacent terms would leave "****" between them: join them into one bold run.
  return (out + escapeText(text.slice(last))).replace(/\*\*\*\*/g, '')
}

/** A markdown link whose text is escaped and whose URL cannot close the link early. */
export function link(text: string, url: string): string {
  if (!url) return escapeText(text)
  return `[${escapeText(text)}](${url.replace(/\)/g, '%29').replace(/\(/g, '%28')})`
}
