/** What a corpus file holds, judged by its content: operators drop in files named anyhow. */
export type CorpusFormat = 'course-page' | 'fragment' | 'markdown' | 'unknown'

const LOOKS_HTML = /<(?:!doctype|html|body|head|div|p|h[1-6])[\s>]/i
// "[^<>]", not "[^>]": an attempt stops at the next tag, so many unclosed "<h1" cannot make this quadratic.
const COURSE_TITLE = /<h1[^<>]*\bid\s*=\s*["']?title\b/i
const MENU_ITEM = /class\s*=\s*["'][^"']*\bmenu-item\b/i
const COMMENTS = /精选留言/
const FRONT_MATTER = /^\uFEFF?---\r?\n[\s\S]*?\r?\n---/
const MARKDOWN_HEADING = /^#{1,6}\s+\S/m

export function detectFormat(text: string): CorpusFormat {
  if (COURSE_TITLE.test(text) || (LOOKS_HTML.test(text) && MENU_ITEM.test(text))) return 'course-page'
  if (COMMENTS.test(text)) return 'fragment'
  // Front matter may itself hold HTML (`post: <p>…</p>`), so it decides before any look for tags.
  if (FRONT_MATTER.test(text)) return 'markdown'
  if (!LOOKS_HTML.test(text.slice(0, 2000)) && MARKDOWN_HEADING.test(text)) return 'markdown'
  return 'unknown'
}
