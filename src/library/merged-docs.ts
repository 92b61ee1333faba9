// The k8s docs as a course: pages merged into chapters of course length, for `npm run eval -- --all --merged`.
// A course chapter is one long page (about 50 passages); a docs page has about 8. Merging each folder's pages, a few
// at a time, gives chapters of the course's length, so that a chapter-level mechanism can be judged on the text
// shape the real course has: a chapter hit there is what the hidden course set counts.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { splitFrontMatter } from '../corpus/markdown-page.js'

/** Pages per merged chapter: 8 docs pages hold about as many passages as one course chapter. */
const PAGES_PER_CHAPTER = 8

export interface MergedDocs {
  /** A new folder under the system's temporary one, holding the merged chapters. */
  dir: string
  /** A docs page's path → the merged chapter file that holds it. */
  chapterOf: Map<string, string>
}

/**
 * Writes every folder's Markdown pages (in name order, PAGES_PER_CHAPTER at a time) as one chapter each. Each page
 * becomes a `##` section under its own title, with its headings below it (`#` and `##` as `###`, deeper ones a level
 * down), so that its passages keep its title and headings.
 */
export async function mergeDocs(docsDir: string): Promise<MergedDocs> {
  const byFolder = new Map<string, string[]>()
  for (const file of (await readdir(docsDir, { recursive: true })).sort()) {
    if (!file.endsWith('.md') || file === 'README.md') continue
    const folder = path.dirname(file)
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file.split(path.sep).join('/')])
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'docs-merged-'))
  const chapterOf = new Map<string, string>()
  for (const [folder, pages] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    for (let first = 0; first < pages.length; first += PAGES_PER_CHAPTER) {
      const name = `${folder === '.' ? 'root' : folder.split(path.sep).join('__')}-${first / PAGES_PER_CHAPTER}.md`
      const parts = [`---\ntitle: "${folder} ${first / PAGES_PER_CHAPTER}"\n---\n`]
      for (const page of pages.slice(first, first + PAGES_PER_CHAPTER)) {
        const { frontMatter, body } = splitFrontMatter(await readFile(path.join(docsDir, page), 'utf8'))
        const title = typeof frontMatter.title === 'string' ? frontMatter.title.trim() : ''
        const text = body.replace(/^(#{1,5})(\s)/gm, (_, hashes: string, space: string) => `${hashes.length === 1 ? '###' : `#${hashes}`}${space}`)
        parts.push(`\n## ${title || page}\n\n${text}\n`)
        chapterOf.set(page, name)
      }
      await writeFile(path.join(dir, name), parts.join(''))
    }
  }
  return { dir, chapterOf }
}
