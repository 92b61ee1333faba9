// Large-corpus answer quality: "什么是<title>？" for every glossary entry of the k8s docs, answered right by the
// glossary entry's own page or by the page its `full_link` points to.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseMarkdownPage } from '../corpus/markdown-page.js'
import type { Chapter } from '../corpus/types.js'
import type { EvalQuestion } from '../library/evaluation.js'

export interface GlossaryEntry {
  /** Corpus-relative path, e.g. `reference/glossary/pod.md`. */
  file: string
  id: string
  title: string
  shortDescription: string
  /** As written in the front matter, e.g. `/zh-cn/docs/concepts/workloads/pods/`; absent when empty. */
  fullLink?: string
}

export interface GlossarySet {
  questions: EvalQuestion[]
  entries: number
  /** Entries whose own page is not a chapter of the corpus (no question is made for them). */
  missingPages: string[]
  /** full_link targets that are not pages of the corpus (outside the subset, or external): only the entry's page counts. */
  unresolvedLinks: { file: string; fullLink: string }[]
}

/** Where the glossary is: `<dir>/reference/glossary`, or the first `reference/glossary` below `dir`. */
export async function findGlossaryDir(dir: string): Promise<string | undefined> {
  const direct = path.join(dir, 'reference', 'glossary')
  if (existsSync(direct)) return direct
  const walk = async (at: string, depth: number): Promise<string | undefined> => {
    if (depth > 4) return undefined
    const entries = await readdir(at, { withFileTypes: true }).catch(() => [])
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue
      const child = path.join(at, e.name)
      if (e.name === 'glossary' && path.basename(at) === 'reference') return child
      const found = await walk(child, depth + 1)
      if (found) return found
    }
    return undefined
  }
  return walk(dir, 0)
}

/** Every glossary entry under `corpusDir` (front matter `title`, `id`, `short_description`, `full_link`). */
export async function readGlossary(corpusDir: string): Promise<GlossaryEntry[]> {
  const glossaryDir = await findGlossaryDir(corpusDir)
  if (!glossaryDir) return []
  const files = (await readdir(glossaryDir)).filter((f) => /\.md$/i.test(f) && !/^_?index\.md$/i.test(f)).sort()
  const entries: GlossaryEntry[] = []
  for (const name of files) {
    const file = path.relative(corpusDir, path.join(glossaryDir, name)).split(path.sep).join('/')
    const page = parseMarkdownPage(await readFile(path.join(glossaryDir, name), 'utf8'))
    const fm = page.frontMatter
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
    const title = page.title || str(fm.title)
    if (!title) continue
    const fullLink = str(fm.full_link)
    entries.push({ file, id: str(fm.id) || path.basename(name, '.md'), title, shortDescription: str(fm.short_description), ...(fullLink ? { fullLink } : {}) })
  }
  return entries
}

/**
 * The docs path a full_link names, as the loader's URLs use it: `/zh-cn/docs/concepts/workloads/pods/#x` and
 * `/docs/concepts/workloads/pods` both give `concepts/workloads/pods`. Undefined for external links.
 */
export function fullLinkPath(link: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(link)) {
    const url = new URL(link)
    if (!/(^|\.)kubernetes\.io$/.test(url.hostname)) return undefined
    link = url.pathname
  }
  const clean = link.replace(/[#?].*$/, '').replace(/^\/+/, '').replace(/\/+$/, '')
  const m = /^(?:[a-z]{2}(?:-[a-z]{2,4})?\/)?docs(?:\/(.*))?$/i.exec(clean)
  if (!m) return undefined
  return m[1] ?? ''
}

/**
 * Questions for the glossary of a loaded corpus. URLs are taken from the corpus's own chapters (found by the
 * loader's key `<course>#<file>`), so they match `hit.chapter.url` exactly, whatever DOCS_BASE_URL is.
 */
export function glossaryQuestions(entries: readonly GlossaryEntry[], corpus: { readonly chapters: readonly Chapter[] }): GlossarySet {
  const byFile = new Map<string, string>()
  for (const c of corpus.chapters) {
    const at = c.key.indexOf('#')
    if (at >= 0 && c.url) byFile.set(c.key.slice(at + 1), c.url)
  }
  const questions: EvalQuestion[] = []
  const missingPages: string[] = []
  const unresolvedLinks: GlossarySet['unresolvedLinks'] = []
  for (const entry of entries) {
    const own = byFile.get(entry.file)
    if (!own) {
      missingPages.push(entry.file)
      continue
    }
    // The docs root is what precedes reference/glossary/ in the entry's path ('' when the corpus is the docs).
    const root = entry.file.slice(0, entry.file.lastIndexOf('reference/glossary/'))
    const urls = [own]
    if (entry.fullLink) {
      const target = fullLinkPath(entry.fullLink)
      const candidates = target === undefined ? [] : target === '' ? [`${root}_index.md`, `${root}index.md`] : [`${root}${target}.md`, `${root}${target}/_index.md`, `${root}${target}/index.md`]
      const url = candidates.map((f) => byFile.get(f)).find((u) => u !== undefined)
      if (url) {
        if (!urls.includes(url)) urls.push(url)
      } else unresolvedLinks.push({ file: entry.file, fullLink: entry.fullLink })
    }
    questions.push({ id: `glossary:${entry.id}`, kind: 'glossary', q: `什么是${entry.title}？`, expect: [], expectUrls: urls })
  }
  return { questions, entries: entries.length, missingPages, unresolvedLinks }
}
