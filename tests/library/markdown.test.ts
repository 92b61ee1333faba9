// Markdown chapters: front matter or `#` title, HTML comments, Hugo shortcodes and heading anchors removed.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectFormat } from '../../src/corpus/detect.js'
import { DOCS_COURSE, loadCorpus, type Corpus } from '../../src/corpus/load-corpus.js'
import { parseMarkdownPage } from '../../src/corpus/markdown-page.js'
import { blocksToPassages } from '../../src/corpus/passages.js'
import { Library } from '../../src/library/library.js'
import {
  DOCS_BASE_URL,
  DOCS_DIR,
  HAVE_DOCS,
  SHENRU,
  corpusOptions,
  readFixture,
  removeTempDirs,
  seedCorpusWith,
  tempDir,
} from './helpers.js'

afterAll(removeTempDirs)

const LEFTOVERS = /<!--|-->|\{\{[<%]|[>%]\}\}|\{#/

function allText(page: ReturnType<typeof parseMarkdownPage>): string {
  return [page.title, ...page.blocks.map((b) => b.text)].join('\n')
}

describe('parseMarkdownPage (fixture docs-page.md)', () => {
  let source: string
  let page: ReturnType<typeof parseMarkdownPage>
  beforeAll(async () => {
    source = await readFixture('docs-page.md')
    page = parseMarkdownPage(source)
  })

  it('takes the title from front matter and keeps the other fields', () => {
    expect(page.title).toBe('调度器')
    expect(page.frontMatter).toMatchObject({ title: '调度器', content_type: 'concept', weight: 20 })
  })

  it('removes HTML comments, including the English original they hold', () => {
    expect(source).toContain('<!--')
    const text = allText(page)
    expect(text).not.toMatch(LEFTOVERS)
    expect(text).not.toContain('Scheduler')
    expect(text).not.toContain('scheduling refers to')
    expect(text).not.toContain('overview')
  })

  it('removes {{< … >}} and {{% … %}} shortcodes, keeping glossary_tooltip text and the text between paired shortcodes', () => {
    const paragraphs = page.blocks.filter((b) => b.type === 'paragraph').map((b) => b.text)
    expect(paragraphs[0]).toBe('在 Kubernetes 中，调度是指将 Pod 放置到合适的节点上，以便对应节点上的 kubelet 能够运行这些 Pod。')
    expect(paragraphs).toContain('调度器通过监听机制来发现集群中新创建、但尚未被调度到节点上的 Pod，然后再为它们逐一挑选合适的节点。')
    expect(paragraphs.some((p) => p.includes('是集群控制面的一部分'))).toBe(true)
    expect(allText(page)).not.toMatch(/note|capture|term_id|glossary_tooltip/)
  })

  it('removes {#anchor} suffixes from headings and keeps heading levels', () => {
    expect(page.blocks.filter((b) => b.type === 'heading')).toEqual([
      { type: 'heading', level: 2, text: '调度概览' },
      { type: 'heading', level: 3, text: 'kube-scheduler 的实现' },
    ])
  })

  it('becomes passages with heading paths, the "：" paragraph joined to its list', () => {
    const passages = blocksToPassages(page.blocks)
    const list = passages.find((p) => p.kind === 'list')
    expect(list).toEqual({
      kind: 'list',
      heading: '调度概览',
      text: '调度器通过监听机制来发现集群中新创建、但尚未被调度到节点上的 Pod，然后再为它们逐一挑选合适的节点。\n调度器会依据下面的原则为每个 Pod 挑选一个最合适的节点：\n- 满足 Pod 声明的资源请求\n- 满足亲和性与反亲和性约束',
    })
    expect(passages.at(-1)!.heading).toBe('调度概览 › kube-scheduler 的实现')
  })
})

describe('parseMarkdownPage: other titles', () => {
  it('falls back to the first # heading, without its anchor (fixture heading-title.md)', async () => {
    const page = parseMarkdownPage(await readFixture('heading-title.md'))
    expect(page.title).toBe('节点亲和性')
    expect(page.frontMatter).toEqual({})
    expect(page.blocks.filter((b) => b.type === 'heading').map((b) => b.text)).toEqual(['两种亲和性'])
    expect(allText(page)).not.toMatch(LEFTOVERS)
    expect(allText(page)).not.toContain('这个页面没有 front matter')
  })

  it('prefers front matter title over a # heading', () => {
    const page = parseMarkdownPage('---\ntitle: "甲：前言"\n---\n\n# 乙\n\n正文第一段，足够长，可以单独成为一个段落，用来检查标题的来源是否正确。\n')
    expect(page.title).toBe('甲：前言')
  })

  it('has an empty title when there is neither', () => {
    expect(parseMarkdownPage('## 只有二级标题\n\n一段正文。\n').title).toBe('')
  })
})

describe('Markdown in the corpus', () => {
  it('becomes a chapter of the docs course with a URL built from DOCS_BASE_URL and its path', async () => {
    const dir = await tempDir('md-corpus')
    await mkdir(path.join(dir, 'concepts', 'scheduling'), { recursive: true })
    await writeFile(path.join(dir, 'concepts', 'scheduling', 'kube-scheduler.md'), await readFixture('docs-page.md'))
    await mkdir(path.join(dir, 'concepts', 'affinity'), { recursive: true })
    await writeFile(path.join(dir, 'concepts', 'affinity', '_index.md'), await readFixture('heading-title.md'))
    const corpus = await loadCorpus(corpusOptions(dir))
    expect(corpus.warnings).toEqual([])
    const byTitle = Object.fromEntries(corpus.chapters.map((c) => [c.title, c]))
    expect(byTitle['调度器']).toMatchObject({ course: DOCS_COURSE, number: null, hasText: true, url: `${DOCS_BASE_URL}/concepts/scheduling/kube-scheduler/` })
    expect(byTitle['节点亲和性']).toMatchObject({ course: DOCS_COURSE, url: `${DOCS_BASE_URL}/concepts/affinity/` })
    const library = await Library.build(corpus)
    const hit = library.search('调度器怎么发现新创建的 Pod')
    expect(hit.hits[0]!.chapter.title).toBe('调度器')
    expect(hit.hits[0]!.text).toContain('监听机制')
  })

  it('whose title is a course chapter becomes that chapter’s text', async () => {
    const md = '# 13 为什么我们需要Pod？\n\nPod 是 Kubernetes 项目中最小的 API 对象，它是一组共享了某些资源的容器，这是本章要讲的第一个结论。\n'
    const dir = await seedCorpusWith('md-chapter', { 'pod-chapter.md': md })
    const corpus = await loadCorpus(corpusOptions(dir))
    const chapter = corpus.chapters.find((c) => c.key === `${SHENRU}#14`)!
    expect(chapter).toMatchObject({ number: '13', title: '13 为什么我们需要Pod？', hasText: true })
    expect(chapter.url).toMatch(/^https:\/\/learn\.lianglianglee\.com\/专栏\/深入剖析Kubernetes\/13 /)
    expect(corpus.passages.filter((p) => p.chapterKey === chapter.key).map((p) => p.source)).toEqual(['pod-chapter.md'])
  })
})

// Bugs found while testing: each asserts the behaviour the issue asks for and fails until fixed.
describe('Markdown details that lose or reject content', () => {
  it('keeps the term of a glossary_tooltip that has no text= (Hugo shows the term)', () => {
    // From reference/glossary/pod.md of the docs: `通常用 {{< glossary_tooltip term_id="deployment" >}} 来管理 Pod。`
    const page = parseMarkdownPage('# Pod\n\n通常用 {{< glossary_tooltip term_id="deployment" >}} 来管理 Pod。\n')
    expect(page.blocks[0]!.text.toLowerCase()).toContain('deployment')
  })

  it('keeps <placeholders> inside inline code', () => {
    // From concepts/overview/working-with-objects/namespaces.md of the docs.
    const page = parseMarkdownPage('# 名字空间\n\n该条目的形式是 `<服务名称>.<名字空间名称>.svc.cluster.local`，这意味着如果容器只使用服务名称，它将被解析到本地名字空间的服务。\n')
    expect(page.blocks[0]!.text).toContain('<服务名称>.<名字空间名称>.svc.cluster.local')
  })

  it('recognises Markdown whose front matter holds HTML as Markdown', () => {
    // The front matter of tutorials/hello-minikube.md of the docs.
    const md = [
      '---',
      'title: 你好，Minikube',
      'content_type: tutorial',
      'menu:',
      '  main:',
      '    title: "Get Started"',
      '    post: >',
      '      <p>准备好动手操作了么？构建一个简单的 Kubernetes 集群来运行示例应用。</p>',
      '---',
      '',
      '本教程向你展示如何使用 Minikube 在 Kubernetes 上运行一个应用示例。',
      '',
    ].join('\n')
    expect(detectFormat(md)).toBe('markdown')
  })
})

describe.skipIf(!HAVE_DOCS)('real pages of ../shared/corpora/k8s-docs-zh', () => {
  const PAGES = {
    'concepts/workloads/pods/_index.md': { title: 'Pod', url: `${DOCS_BASE_URL}/concepts/workloads/pods/`, min: 15, heading: '什么是 Pod？' },
    'concepts/overview/components.md': { title: 'Kubernetes 组件', url: `${DOCS_BASE_URL}/concepts/overview/components/`, min: 10, heading: '控制平面组件（Control Plane Components）' },
    'concepts/workloads/controllers/statefulset.md': { title: 'StatefulSet', url: `${DOCS_BASE_URL}/concepts/workloads/controllers/statefulset/`, min: 30, heading: '使用 StatefulSet' },
    'reference/glossary/pod.md': { title: 'Pod', url: `${DOCS_BASE_URL}/reference/glossary/pod/`, min: 1, heading: '' },
  } as const
  let corpus: Corpus
  let sources: Record<string, string>

  beforeAll(async () => {
    const dir = await tempDir('docs')
    sources = {}
    for (const rel of Object.keys(PAGES)) {
      sources[rel] = await readFile(path.join(DOCS_DIR, rel), 'utf8')
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
      await writeFile(path.join(dir, rel), sources[rel]!)
    }
    corpus = await loadCorpus(corpusOptions(dir))
  })

  it('reads every page as Markdown with its front-matter title and docs URL', () => {
    expect(corpus.warnings).toEqual([])
    for (const [rel, want] of Object.entries(PAGES)) {
      const report = corpus.files.find((f) => f.file === rel)
      expect(report, rel).toMatchObject({ format: 'markdown', chapter: want.title })
      expect(report!.passages, rel).toBeGreaterThanOrEqual(want.min)
      const chapter = corpus.chapters.find((c) => c.url === want.url)
      expect(chapter, rel).toMatchObject({ title: want.title, course: DOCS_COURSE, hasText: true })
    }
  })

  it('leaves no HTML comment, shortcode or {#anchor} in titles, headings or passages', () => {
    for (const rel of Object.keys(PAGES)) expect(sources[rel]).toMatch(/<!--[\s\S]*\{\{</)
    for (const c of corpus.chapters) expect(c.title).not.toMatch(LEFTOVERS)
    for (const p of corpus.passages) {
      expect(p.heading, p.id).not.toMatch(LEFTOVERS)
      expect(p.text, p.id).not.toMatch(/<!--|\{\{[<%]|[>%]\}\}|\{#/)
    }
  })

  it('keeps the Chinese text and drops the English original in comments', () => {
    const pod = corpus.passages.filter((p) => p.source === 'concepts/workloads/pods/_index.md')
    expect(pod[0]!.text.split('\n')[0]).toBe('Pod 是可以在 Kubernetes 中创建和管理的、最小的可部署的计算单元。')
    expect(pod.some((p) => p.heading === PAGES['concepts/workloads/pods/_index.md'].heading)).toBe(true)
    expect(pod.some((p) => p.text.includes('smallest deployable units'))).toBe(false)
    // glossary_tooltip text="容器" is kept.
    expect(pod.some((p) => p.text.includes('是一组（一个或多个） 容器；') || p.text.includes('是一组（一个或多个）容器；'))).toBe(true)
    const components = corpus.passages.filter((p) => p.source === 'concepts/overview/components.md')
    expect(components.some((p) => p.heading === PAGES['concepts/overview/components.md'].heading)).toBe(true)
  })

  it('answers a question about them', async () => {
    const library = await Library.build(corpus)
    const { hits } = library.search('Pod 是最小的可部署计算单元吗')
    expect(hits[0]!.chapter.url).toBe(PAGES['concepts/workloads/pods/_index.md'].url)
  })

  it('reads tutorials/hello-minikube.md (HTML inside its front matter) as a Markdown page', async () => {
    const dir = await tempDir('docs-minikube')
    await mkdir(path.join(dir, 'tutorials'), { recursive: true })
    await writeFile(path.join(dir, 'tutorials', 'hello-minikube.md'), await readFile(path.join(DOCS_DIR, 'tutorials', 'hello-minikube.md')))
    const loaded = await loadCorpus(corpusOptions(dir))
    expect(loaded.warnings).toEqual([])
    expect(loaded.chapters.map((c) => c.title)).toEqual(['你好，Minikube'])
  })
})
