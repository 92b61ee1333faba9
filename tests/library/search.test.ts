// Search on known questions over the seed corpus: titles, paragraphs, English, variants, filters and paging;
// then the evaluation helpers (the hit@3 gate itself is tests/eval.test.ts).
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answers, evaluate, readQuestions, type EvalQuestion } from '../../src/library/evaluation.js'
import { CHAPTER_TOPICS } from '../../src/library/chapter-topics.js'
import { Library, type SearchHit } from '../../src/library/library.js'
import {
  KEY_CLOSING,
  KEY_SUMMARY,
  SEED_PASSAGES,
  SEED_PASSAGE_TOTAL,
  SHANGSHOU,
  SHENRU,
  loadSeedCorpus,
  removeTempDirs,
  tempDir,
} from './helpers.js'

let library: Library

beforeAll(async () => {
  library = await Library.build(await loadSeedCorpus())
})
afterAll(removeTempDirs)

const ids = (hits: SearchHit[]) => hits.map((h) => h.id)

describe('the library built from the seeds', () => {
  it('warms its search path on its own titles and headings, within its budget, unseen by search listeners', async () => {
    const seen: number[] = []
    library.onSearch((ms) => seen.push(ms))
    expect((await library.warmUp(0)).questions).toBe(0)
    // Reader comments' headings are their authors' names: not questions.
    const headings = new Set(library.passages.filter((p) => p.kind !== 'comment').map((p) => p.heading).filter(Boolean))
    expect(headings.size).toBeGreaterThan(0)
    expect((await library.warmUp(60_000)).questions).toBe(library.chapters.length + headings.size)
    expect(seen).toEqual([])
    library.search('Pod')
    expect(seen).toHaveLength(1)
    // It yields between questions: what the event loop has waiting runs before it is done.
    const order: string[] = []
    const warming = library.warmUp(60_000).then(() => order.push('warmed'))
    setImmediate(() => order.push('waiting'))
    await warming
    expect(order).toEqual(['waiting', 'warmed'])
  })

  it('counts chapters and passages per course', () => {
    const stats = library.stats()
    expect(stats).toMatchObject({ chapters: 80, chaptersWithText: 2, passages: SEED_PASSAGE_TOTAL, comments: 30 })
    expect([...stats.perCourse].sort((a, b) => a.course.localeCompare(b.course))).toEqual(
      [
        { course: SHANGSHOU, chapters: 24, chaptersWithText: 1, passages: SEED_PASSAGES.summary },
        { course: SHENRU, chapters: 56, chaptersWithText: 1, passages: SEED_PASSAGES.closing },
      ].sort((a, b) => a.course.localeCompare(b.course)),
    )
    expect(library.courses().sort()).toEqual([SHANGSHOU, SHENRU].sort())
  })
})

describe('questions only a chapter title answers', () => {
  it('"为什么需要 Pod" returns chapter 13 of 深入剖析Kubernetes first', () => {
    const { hits } = library.search('为什么需要 Pod')
    expect(hits[0]).toMatchObject({ rank: 1, kind: 'title', text: '13 为什么我们需要Pod？' })
    expect(hits[0]!.chapter).toMatchObject({ course: SHENRU, number: '13', hasText: false })
  })

  it('"StatefulSet 拓扑状态" returns chapter 18 first', () => {
    const { hits } = library.search('StatefulSet 拓扑状态')
    expect(hits[0]!.kind).toBe('title')
    expect(hits[0]!.chapter).toMatchObject({ number: '18', title: '18 深入理解StatefulSet（一）：拓扑状态' })
  })

  it('"kube-scheduler 的工作原理" returns the 庖丁解牛 chapter on kube-scheduler among the top 3', () => {
    const { hits } = library.search('kube-scheduler 的工作原理')
    expect(hits.map((h) => h.chapter.title)).toContain('15 庖丁解牛：kube-scheduler')
    expect(library.search('kube-scheduler').hits[0]!.chapter).toMatchObject({ course: SHANGSHOU, number: '15' })
  })

  it('a title the question names nearly whole comes before a paragraph with the same words', () => {
    const { hits } = library.search('声明式API和编程范式讲的是什么', { limit: 10 })
    expect(hits[0]).toMatchObject({ kind: 'title', text: '23 声明式API与Kubernetes编程范式' })
    // A paragraph has every one of those words too, so the order above is a real decision.
    const paragraph = hits.find((h) => h.kind === 'paragraph')!
    expect(paragraph.terms).toEqual(expect.arrayContaining(['声明', 'api', '编程', '范式']))
  })
})

describe('questions a paragraph answers', () => {
  it('returns the paragraph that answers with the chapter that the question names, both in the top 3', () => {
    // The chapter whose title is the question ("谈谈Kubernetes的本质") and the paragraph that answers it are
    // both right; neither pushes the other out.
    const { hits } = library.search('Kubernetes 的本质是什么', { limit: 3 })
    expect(hits.map((h) => h.kind).sort()).toEqual(['paragraph', 'paragraph', 'title'])
    expect(hits.find((h) => h.kind === 'title')!.chapter.title).toBe('09 从容器到容器云：谈谈Kubernetes的本质')
    expect(hits.some((h) => h.chapter.key === KEY_CLOSING && h.text.includes('Kubernetes 项目的本质其实只有一个，那就是“控制器模式”'))).toBe(true)
  })

  it('returns paragraphs first when no chapter title names the question, the one that answers among them', () => {
    const { hits } = library.search('Kubernetes 项目最重要的是什么')
    expect(hits.map((h) => [h.kind, h.chapter.key])).toEqual([
      ['paragraph', KEY_CLOSING],
      ['paragraph', KEY_CLOSING],
      ['paragraph', KEY_CLOSING],
    ])
    expect(hits.some((h) => h.text.includes('Kubernetes 项目里最重要的，是它的“容器设计模式”'))).toBe(true)
  })

  it.each([
    ['CoreDNS 成为默认 DNS 服务器了吗', KEY_SUMMARY, 'CoreDNS 在 K8S 1.13 中已经成为默认的 DNS 服务器'],
    ['学完以后推荐哪些扩展阅读', KEY_SUMMARY, '以下推荐一些扩展阅读：'],
    ['学习 Kubernetes 感到困难的时候应该怎么想', KEY_CLOSING, '不妨想象一下 Kubernetes 就是未来的 Linux 操作系统'],
    ['Kubernetes 和 AWS 的故事有什么相似', KEY_CLOSING, '这正是 AWS 和它庞大的开发者生态的故事'],
    ['Kubernetes 项目之所以能赢的原因', KEY_CLOSING, '争取到了云计算生态里的绝大多数开发者'],
  ])('"%s" → that passage first', (q, key, phrase) => {
    const { hits } = library.search(q)
    expect(hits[0]!.chapter.key).toBe(key)
    expect(hits[0]!.text).toContain(phrase)
  })

  it('carries heading, chapter and the query terms it matched', () => {
    const hit = library.search('CoreDNS 成为默认 DNS 服务器了吗').hits[0]!
    expect(hit.heading).toBe('快速回顾')
    expect(hit.chapter).toMatchObject({ course: SHANGSHOU, number: '24', title: '24 总结' })
    expect(hit.terms).toEqual(expect.arrayContaining(['coredns', 'dns', '默认']))
  })
})

describe('English questions', () => {
  it('"why does Kubernetes win" finds the 结束语 text', () => {
    const { hits } = library.search('why does Kubernetes win')
    expect(hits).toHaveLength(3)
    for (const hit of hits) expect(hit.chapter.key).toBe(KEY_CLOSING)
    expect(hits[0]!.text).toMatch(/赢/)
  })

  it('"what is the essence of Kubernetes" finds the 控制器模式 paragraph among the top 3', () => {
    const { hits } = library.search('what is the essence of Kubernetes')
    expect(hits.some((h) => h.text.includes('“控制器模式”'))).toBe(true)
  })
})

describe('English words the course writes only in Chinese', () => {
  it('find its passages through the dictionary\'s glosses of its words ("snapshot" → 快照)', async () => {
    const library = await oneChapterLibrary('01 存储', {
      resize: '扩容 PVC 之前，要确认存储类允许扩容 PVC。',
      bind: 'PVC 绑定到 PV 之后，Pod 才能使用这个 PVC。',
      snapshot: '可以给 PVC 创建卷快照，用来备份数据。',
    })
    // Without the glosses, PVC is all the question shares with the text, and the passages naming it twice come first.
    expect(library.search('How do I take a snapshot of a PVC?').hits[0]!.id).toBe('snapshot')
    expect(library.stored().englishGlosses).toContainEqual(['snapshot', ['快照']])
  })
})

describe('variants behave like their plain forms', () => {
  it.each([
    ['为什么需要 ＰＯＤ', '为什么需要 Pod'],
    ['ＳｔａｔｅｆｕｌＳｅｔ　拓扑状态', 'StatefulSet 拓扑状态'],
    ['ｋ８ｓ 的本质是什么', 'Kubernetes 的本质是什么'],
    ['K8S 的本质是什么', 'Kubernetes 的本质是什么'],
    ['k8s 的本质是什么', 'Kubernetes 的本质是什么'],
    ['KUBERNETES 的本质是什么？', 'Kubernetes 的本质是什么'],
  ])('"%s" ≡ "%s"', (variant, plain) => {
    const a = library.search(variant, { limit: 5 })
    const b = library.search(plain, { limit: 5 })
    expect(a.hits.length).toBeGreaterThan(0)
    expect(ids(a.hits)).toEqual(ids(b.hits))
    expect(a.total).toBe(b.total)
  })
})

describe('options', () => {
  it('returns 3 hits by default, ranked 1, 2, 3 with non-increasing scores', () => {
    const { hits, total } = library.search('Kubernetes')
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3])
    expect(total).toBeGreaterThan(3)
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score)
  })

  it('filters by course', () => {
    const q = 'Kubernetes 为什么会赢'
    expect(library.search(q).hits[0]!.chapter.course).toBe(SHENRU)
    const filtered = library.search(q, { course: SHANGSHOU, limit: 10 })
    expect(filtered.hits.length).toBeGreaterThan(0)
    for (const hit of filtered.hits) expect(hit.chapter.course).toBe(SHANGSHOU)
    const other = library.search(q, { course: SHENRU, limit: 10 })
    for (const hit of other.hits) expect(hit.chapter.course).toBe(SHENRU)
    expect(filtered.total + other.total).toBe(library.search(q, { limit: 10 }).total)
  })

  it('resolves a course from part of its name', () => {
    expect(library.resolveCourse('深入剖析')).toBe(SHENRU)
    expect(library.resolveCourse('上手')).toBe(SHANGSHOU)
    expect(library.resolveCourse('不存在的课程')).toBeUndefined()
  })

  it('pages with offset: pages are disjoint, ranks continue, and together they equal one long page', () => {
    const q = 'Kubernetes 集群'
    const long = library.search(q, { limit: 12 })
    expect(long.total).toBeGreaterThanOrEqual(12)
    const pages = [0, 4, 8].map((offset) => library.search(q, { limit: 4, offset }))
    const all = pages.flatMap((p) => ids(p.hits))
    expect(new Set(all).size).toBe(12)
    expect(all).toEqual(ids(long.hits))
    expect(pages.flatMap((p) => p.hits.map((h) => h.rank))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    for (const page of pages) expect(page.total).toBe(long.total)
    expect(library.search(q, { limit: 4, offset: long.total }).hits).toEqual([])
  })

  it('returns [] for a question nothing matches', () => {
    for (const q of ['qwertyuiop', 'zzqx', '？？？！！', '', '   ', 'the of and']) {
      const result = library.search(q)
      expect(result.hits, q).toEqual([])
      expect(result.total, q).toBe(0)
    }
  })
})

describe('answers / evaluate', () => {
  it('a hit answers when chapter title, heading and text together contain every phrase (width and spaces ignored)', () => {
    const hit = library.search('CoreDNS 成为默认 DNS 服务器了吗').hits[0]!
    const q = (expect_: string[], expectUrls?: string[]): EvalQuestion => ({ id: 'x', kind: 'k', q: '', expect: expect_, expectUrls })
    expect(answers(hit, q(['ＣｏｒｅＤＮＳ在K8S 1.13中', '快速回顾', '24 总结']))).toBe(true)
    expect(answers(hit, q(['CoreDNS', '控制器模式']))).toBe(false)
    expect(answers(hit, q([]))).toBe(false)
    expect(answers(hit, q([], [hit.chapter.url]))).toBe(true)
  })

  it('computes hit@1, hit@3 and MRR, overall and per kind', () => {
    const questions: EvalQuestion[] = [
      { id: 'a', kind: 'title', q: '为什么需要 Pod', expect: ['13 为什么我们需要Pod？'] }, // rank 1
      { id: 'b', kind: 'paragraph', q: 'Kubernetes 项目最重要的是什么', expect: ['容器设计模式'] }, // rank 2 or 3
      { id: 'c', kind: 'paragraph', q: 'qwertyuiop', expect: ['控制器模式'] }, // no hit
    ]
    const rankOfB = library.search(questions[1]!.q).hits.findIndex((h) => answers(h, questions[1]!)) + 1
    expect([2, 3]).toContain(rankOfB)
    const report = evaluate(library, questions)
    expect(report.questions).toBe(3)
    expect(report.hitAt1).toBeCloseTo(1 / 3)
    expect(report.hitAt3).toBeCloseTo(2 / 3)
    expect(report.mrr).toBeCloseTo((1 + 1 / rankOfB) / 3)
    expect(report.perKind.title).toMatchObject({ questions: 1, hitAt1: 1, hitAt3: 1, mrr: 1 })
    expect(report.perKind.paragraph).toMatchObject({ questions: 2, hitAt1: 0, hitAt3: 0.5 })
    expect(report.misses.map((m) => m.id)).toEqual(['c'])
  })

  it('readQuestions names the file and line of a bad line', async () => {
    const file = path.join(await tempDir('questions'), 'q.jsonl')
    await writeFile(file, '{"id":"a","kind":"k","q":"x","expect":[]}\n\nnot json\n')
    await expect(readQuestions(file)).rejects.toThrow(`${file}:3:`)
  })
})

/** A library of one chapter whose paragraphs are `texts`, by id, in order. */
function oneChapterLibrary(title: string, texts: Record<string, string>): Promise<Library> {
  return chaptersLibrary({ [title]: texts })
}

/** A library of chapters, by title, each with its paragraphs by id, in order; then chapters known only by their title. */
function chaptersLibrary(chapters: Record<string, Record<string, string>>, titleOnly: readonly string[] = []): Promise<Library> {
  const entries: [string, Record<string, string>][] = [...Object.entries(chapters), ...titleOnly.map((title): [string, Record<string, string>] => [title, {}])]
  const withText = Object.keys(chapters).length
  const key = (i: number) => `c#${i + 1}`
  return Library.build({
    toc: [],
    chapters: entries.map(([title], i) => ({ key: key(i), course: 'c', position: i + 1, number: String(i + 1).padStart(2, '0'), title, url: `https://example.org/${i + 1}`, hasText: i < withText })),
    passages: entries.flatMap(([, texts], i) => Object.entries(texts).map(([id, text]) => ({ id, kind: 'paragraph' as const, chapterKey: key(i), heading: '', text, source: 'x' }))),
  })
}

describe('the hand-made tables', () => {
  it('count only where most chapters are known by their title alone: a thesaurus word finds no passage of a text chapter', async () => {
    // On the seed pages "键值数据库" leads to the etcd chapter's title (below); where chapters have their text, the
    // passage that names etcd but none of the question's own words is not a hit.
    const library = await oneChapterLibrary('01 存储', {
      etcd: 'etcd 保存了整个系统的状态。',
      words: '键值数据库按键存取数据。',
      other: '节点上的磁盘要留出空间。',
    })
    const result = library.search('集群用的那个键值数据库', { limit: 3 })
    expect(result.terms).not.toContain('etcd')
    expect(result.hits.map((h) => h.id)).toEqual(['words'])
  })

  it('still lead to a chapter known only by its title where a few are, but to no passage', async () => {
    // Three chapters with text, one known only by its title, as when Markdown pages are added to the seed pages.
    const library = await chaptersLibrary(
      { storage: { etcd: 'etcd 保存了整个系统的状态。', other: '节点上的磁盘要留出空间。' }, network: { a: 'Service 提供稳定的地址。' }, pods: { b: 'Pod 是最小的调度单位。' } },
      ['09 etcd'],
    )
    const { hits } = library.search('集群用的那个键值数据库', { limit: 3 })
    expect(hits.map((h) => h.chapter.title)).toEqual(['09 etcd'])
    expect(hits[0]!.kind).toBe('title')
  })
})

describe('first-stage matching', () => {
  it('matches whole words, not prefixes: "kube" does not find a passage that only says "kubelet"', async () => {
    const library = await oneChapterLibrary('01 组件', { a: 'kubelet 在每个节点上运行，负责启动容器。', b: 'kube 是很多组件名字的前缀。' })
    expect(library.search('kube').hits.map((h) => h.id)).toEqual(['b'])
    expect(library.search('kubelet').hits.map((h) => h.id)).toEqual(['a'])
  })
})

describe('how much a passage is about the question', () => {
  it('a passage that names the key word again ranks above one that names it once, with the same other words', async () => {
    const library = await oneChapterLibrary('01 网络', {
      once: '集群内部要访问一组后端，可以给它们一个稳定的地址，这就是 Service 的作用之一。',
      again: 'Service 提供一个稳定的地址。Service 会把请求转发给后端，后端变了，Service 的地址不变。',
      // Service and 地址 in other passages too, so that neither is a word only these two have.
      other: '节点的地址由云厂商分配，Service 的类型决定它能否从集群外访问。',
    })
    const ids = library.search('Service 的地址是什么', { limit: 3 }).hits.map((h) => h.id)
    expect(ids[0]).toBe('again')
    expect(ids.indexOf('again')).toBeLessThan(ids.indexOf('once'))
  })
})

describe('the question\'s words side by side', () => {
  it('a passage with two of them adjacent, as the question has them, ranks above one that has them apart', async () => {
    // Both have 容器, 网络 and 配置; the shorter one, with them apart, has the better BM25. With PHRASE at 0 it ranks first.
    const library = await oneChapterLibrary('01 网络', {
      apart: '网络的配置写在容器的启动参数里。',
      together: '容器网络由插件负责配置，插件在每个节点上运行，管理地址和路由。',
      other: 'Pod 的日志可以用命令查看。',
    })
    expect(library.search('容器网络怎么配置').hits.map((h) => h.id).slice(0, 2)).toEqual(['together', 'apart'])
  })
})

describe('a long question where chapters are long', () => {
  it('leans less on its chapter: the chapter with most of its everyday words does not carry a passage past the answer', async () => {
    // Two chapters of 22 passages (LONG_CHAPTER is 20). The first has the question's everyday words all through it,
    // the second only the passage about what it asks. With LONG_QUESTION at 0, "drift" ranks first.
    const everyday = ['我们在集群里部署应用。', '部署之前先检查配置文件。', '应用的配置文件放在节点上。', '集群的节点需要定期检查。', '部署应用时经常要改配置。']
    const background = (topic: string, i: number) => `${topic}的第 ${i} 个小节介绍一些背景知识，读者可以跳过。`
    const deploying: Record<string, string> = { drift: '集群里部署应用，要检查节点、配置文件和应用的日志。' }
    const images: Record<string, string> = { answer: '镜像拉取很慢时，可以检查节点上的镜像加速器。' }
    for (let i = 0; i < 21; i++) {
      deploying[`d${i}`] = everyday[i % everyday.length]! + background('部署', i)
      images[`i${i}`] = background('仓库', i)
    }
    const library = await chaptersLibrary({ '01 部署应用': deploying, '02 镜像仓库': images })
    const question = '老师，我在集群里部署应用的时候，发现节点上的镜像拉取一直很慢，配置文件也检查过了，请问应该怎么办？'
    expect(library.search(question).hits[0]!.id).toBe('answer')
  })
})

describe('the answer\'s shape', () => {
  // In each, the passage that restates the question wins on its words alone (checked with ANSWER_SHAPE at 0).
  it.each([
    {
      kind: 'how-many question, a number',
      question: 'Deployment 会保留多少旧版本',
      restates: 'Deployment 会保留旧版本，用于回滚。',
      answers: 'Deployment 默认会保留 10 个旧版本。',
      others: ['回滚时 Deployment 会扩容旧的 ReplicaSet。', '新版本上线后旧 Pod 会被删除。', 'Deployment 管理 ReplicaSet。'],
    },
    {
      kind: 'why question, a cause',
      question: 'kubelet 为什么会驱逐 Pod',
      restates: 'kubelet 会驱逐节点上的 Pod。',
      answers: 'kubelet 驱逐 Pod 是因为节点内存不足。',
      others: ['Pod 会被调度到节点上。', '节点的磁盘用量可以用 kubelet 的参数配置。', '容器运行在 Pod 里，驱逐之后会重建。'],
    },
    {
      kind: 'yes-or-no question, what is not',
      question: 'Secret 改了以后容器里的环境变量会自动更新吗',
      restates: '容器里的环境变量来自 Secret，Secret 改了以后要看容器怎么用它。',
      answers: '以环境变量用到的 Secret 改了，容器不会自动更新，要重启 Pod。',
      others: ['Secret 可以挂载成卷。', '环境变量在容器启动时设置。', 'Pod 可以引用多个 Secret。'],
    },
  ])('for a $kind in a sentence with the question\'s words ranks first', async ({ question, restates, answers, others }) => {
    const library = await oneChapterLibrary('01 测试', { restates, answers, ...Object.fromEntries(others.map((text, i) => [`other${i}`, text])) })
    expect(library.search(question).hits[0]!.id).toBe('answers')
  })
})

describe('wording the course does not use', () => {
  it('a question word the text holds only inside a longer word counts there, for less ("装" in "安装")', async () => {
    const library = await oneChapterLibrary('01 准备', {
      deploy: '部署时，每台机器至少需要 2 GB 内存。',
      install: '安装时，每台机器至少需要 2 GB 内存。',
      // 装 as a word of its own somewhere, so that the question's 装 weighs something.
      other: '这些工具都要装在每个节点上。',
    })
    // 装 stands beside no other word of the question in either text, so proximity does not tell them apart; nor does the
    // answer's shape, which a question of how much would want.
    const { hits } = library.search('装的时候每台机器的内存')
    const score = (id: string) => hits.find((h) => h.id === id)!.score
    expect(hits[0]!.id).toBe('install')
    // jieba cuts 安装 whole: 装 is no word of that passage, only a part of one.
    expect(hits[0]!.terms).not.toContain('装')
    expect(score('install')).toBeGreaterThan(score('deploy'))
  })

  it('a long word of everyday pieces counts once: "多长时间" does not outweigh the words the question is about', async () => {
    const library = await oneChapterLibrary('01 节点', {
      answer: '节点控制器每 5 秒检查一次各个节点的状况。',
      // All four pieces of 多长时间 (多长, 时间, 长时间, 多长时间), and nothing of 控制器 or 一次.
      pieces: '一个节点上的长时间任务需要多长时间，要看检查的时间间隔。',
      other: '控制器会持续运行。',
      unrelated: '容器的镜像需要下载。',
    })
    const { hits } = library.search('节点控制器多长时间检查一次节点？')
    expect(hits.map((h) => h.id).slice(0, 2)).toEqual(['answer', 'pieces'])
    expect(hits[1]!.terms).toEqual(expect.arrayContaining(['多长', '时间', '长时间', '多长时间']))
  })

  it('a homophone typo still finds the chapter ("容器网洛" → 浅谈容器网络)', () => {
    expect(library.search('容器网洛是怎么回事').hits[0]!.chapter.title).toBe('32 浅谈容器网络')
  })

  it('a described topic finds the chapter that names it ("键值数据库" → etcd)', () => {
    expect(library.search('集群用的那个键值数据库是怎么工作的', { limit: 3 }).hits.map((h) => h.chapter.title)).toContain('13 庖丁解牛：etcd')
  })

  it('what a title-only chapter teaches finds it, though its title does not say so (MySQL 主从 → StatefulSet 有状态应用实践)', () => {
    const { hits } = library.search('怎么用 MySQL 搭一个主从复制的集群')
    expect(hits[0]).toMatchObject({ kind: 'title', text: '20 深入理解StatefulSet（三）：有状态应用实践' })
    expect(hits[0]!.terms).toEqual(expect.arrayContaining(['mysql', '主从']))
  })

  it('a question that asks for a chapter gets the chapter before a summary paragraph on the same topic', () => {
    expect(library.search('哪一节讲 Redis 部署').hits[0]).toMatchObject({ kind: 'title', text: '07 集群管理：以 Redis 为例-部署及访问' })
    // The summary paragraph that names Redis is found too, below the chapter about it.
    expect(library.search('哪一节讲 Redis 部署').hits.map((h) => h.chapter.title)).toContain('24 总结')
  })

  it('English plurals the course writes in the singular still lead to the topic (Cgroups → 隔离与限制)', () => {
    expect(library.search('Linux 的 Namespace 和 Cgroups 分别在容器里负责什么？').hits[0]).toMatchObject({ kind: 'title', text: '06 白话容器基础（二）：隔离与限制' })
  })

  it('every chapter-topic list belongs to a chapter of the courses\' tables of contents', () => {
    const titles = new Set(library.tocChapters().map((c) => c.title))
    expect(Object.keys(CHAPTER_TOPICS).filter((title) => !titles.has(title))).toEqual([])
  })
})
