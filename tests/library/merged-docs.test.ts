import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadCorpus } from '../../src/corpus/load-corpus.js'
import { mergeDocs } from '../../src/library/merged-docs.js'

const made: string[] = []
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function docs(pages: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'docs-'))
  made.push(dir)
  for (const [file, text] of Object.entries(pages)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), text)
  }
  return dir
}

describe('the docs merged into course-length chapters', () => {
  it('puts each folder’s pages, 8 at a time, into one chapter, and says which chapter holds each page', async () => {
    const pages: Record<string, string> = { 'README.md': '# not a page\n', 'root.md': '---\ntitle: 根\n---\n根页面的正文。\n' }
    for (let i = 1; i <= 10; i++) pages[`concepts/p${String(i).padStart(2, '0')}.md`] = `---\ntitle: "页面 ${i}"\n---\n第 ${i} 页的正文。\n`
    const { dir, chapterOf } = await mergeDocs(await docs(pages))
    made.push(dir)
    expect((await readdir(dir)).sort()).toEqual(['concepts-0.md', 'concepts-1.md', 'root-0.md'])
    expect(chapterOf.get('concepts/p01.md')).toBe('concepts-0.md')
    expect(chapterOf.get('concepts/p08.md')).toBe('concepts-0.md')
    expect(chapterOf.get('concepts/p09.md')).toBe('concepts-1.md')
    expect(chapterOf.get('root.md')).toBe('root-0.md')
    expect(chapterOf.has('README.md')).toBe(false)
    const second = await readFile(path.join(dir, 'concepts-1.md'), 'utf8')
    expect(second).toContain('## 页面 9\n')
    expect(second).toContain('第 10 页的正文。')
    expect(second).not.toContain('第 8 页')
  })

  it('keeps each page’s headings under its own title, one level down, so its passages keep them', async () => {
    const source = await docs({
      'tasks/a.md': '---\ntitle: 配置探针\n---\n# 总览\n\n开头一段。\n\n## 存活探针\n\n存活探针的说明在这里，足够长的一段文字。\n\n### 参数\n\n参数的说明。\n',
    })
    const { dir } = await mergeDocs(source)
    made.push(dir)
    const corpus = await loadCorpus({ dir, baseUrl: 'https://example.invalid', docsBaseUrl: 'https://example.invalid/docs' })
    expect(corpus.chapters.map((c) => c.title)).toEqual(['tasks 0'])
    expect(corpus.passages.map((p) => [p.heading, p.text])).toEqual([
      ['配置探针 › 总览', '开头一段。'],
      ['配置探针 › 存活探针', '存活探针的说明在这里，足够长的一段文字。'],
      ['配置探针 › 参数', '参数的说明。'],
    ])
  })
})
