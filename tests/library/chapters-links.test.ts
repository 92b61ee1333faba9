// Chapter lookup, neighbours, summaries and the links the bot shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Library } from '../../src/library/library.js'
import { chapterLink, passageLink } from '../../src/library/links.js'
import { BASE_URL, KEY_CLOSING, KEY_SUMMARY, SHANGSHOU, SHENRU, loadSeedCorpus, removeTempDirs } from './helpers.js'

let library: Library

beforeAll(async () => {
  library = await Library.build(await loadSeedCorpus())
})
afterAll(removeTempDirs)

describe('findChapters', () => {
  it('"13" returns two chapters, one per course', () => {
    const found = library.findChapters('13')
    expect(found).toHaveLength(2)
    expect(found.map((c) => c.course).sort()).toEqual([SHANGSHOU, SHENRU].sort())
    expect(found.map((c) => c.title).sort()).toEqual(['13 为什么我们需要Pod？', '13 庖丁解牛：etcd'].sort())
  })

  it('understands 第13章, full-width digits and a course filter', () => {
    expect(library.findChapters('第13章').map((c) => c.key)).toEqual(library.findChapters('13').map((c) => c.key))
    expect(library.findChapters('１３').map((c) => c.key)).toEqual(library.findChapters('13').map((c) => c.key))
    expect(library.findChapters('13', SHENRU).map((c) => c.title)).toEqual(['13 为什么我们需要Pod？'])
    expect(library.findChapters('0').map((c) => c.title)).toEqual(['00 开篇词 打通“容器技术”的任督二脉'])
  })

  it('finds a chapter by a fragment of its title', () => {
    expect(library.findChapters('拓扑状态').map((c) => c.title)).toEqual(['18 深入理解StatefulSet（一）：拓扑状态'])
    expect(library.findChapters('赢开发者').map((c) => c.key)).toEqual([KEY_CLOSING])
    expect(library.findChapters('Ｔｒｏｕｂｌｅｓｈｏｏｔ').map((c) => c.title)).toEqual(['19 Troubleshoot'])
    expect(library.findChapters('结束语 Kubernetes：赢开发者赢天下').map((c) => c.key)).toEqual([KEY_CLOSING])
  })

  it('returns [] for a number or words no chapter has', () => {
    expect(library.findChapters('99')).toEqual([])
    expect(library.findChapters('')).toEqual([])
    expect(library.findChapters('qwertyuiop')).toEqual([])
  })
})

describe('neighbours', () => {
  it('gives the chapters before and after, within the course', () => {
    const { previous, next } = library.neighbours(`${SHENRU}#14`)
    expect(previous?.title).toBe('12 牛刀小试：我的第一个容器化应用')
    expect(next?.title).toBe('14 深入解析Pod对象（一）：基本概念')
  })

  it('has no previous for the first chapter and no next for the last, and never crosses courses', () => {
    expect(library.neighbours(`${SHENRU}#1`).previous).toBeUndefined()
    expect(library.neighbours(KEY_CLOSING).next).toBeUndefined()
    expect(library.neighbours(KEY_CLOSING).previous?.title).toBe('特别放送 基于 Kubernetes 的云原生应用管理，到底应该怎么做？')
    expect(library.neighbours(KEY_SUMMARY).next).toBeUndefined()
    expect(library.neighbours(`${SHANGSHOU}#1`).previous).toBeUndefined()
    expect(library.neighbours('no such chapter')).toEqual({})
  })
})

describe('summary', () => {
  it('skips the greeting "你好，我是张磊" and ends at a sentence end', () => {
    const summary = library.summary(KEY_CLOSING)!
    expect(summary).not.toContain('你好')
    expect(summary).not.toContain('张磊')
    expect(summary.startsWith('在本专栏一开始')).toBe(true)
    expect(summary).toMatch(/[。！？]$/)
    expect(summary.length).toBeLessThanOrEqual(400)
    expect(summary.length).toBeGreaterThan(100)
  })

  it('respects a small maximum and still ends at a sentence end', () => {
    for (const key of [KEY_CLOSING, KEY_SUMMARY]) {
      const summary = library.summary(key, 80)!
      expect(summary.length, summary).toBeLessThanOrEqual(80)
      expect(summary, summary).toMatch(/[。！？]$/)
    }
  })

  it('is undefined for a chapter known only by its title', () => {
    expect(library.summary(`${SHENRU}#14`)).toBeUndefined()
  })
})

describe('links', () => {
  it('chapterLink is a valid, percent-encoded URL of the chapter page, for every chapter', () => {
    for (const chapter of library.chapters) {
      const link = chapterLink(chapter)
      const url = new URL(link)
      expect(link).not.toMatch(/\s/)
      expect(url.origin).toBe(BASE_URL)
      expect(url.search).toBe('')
      expect(url.hash).toBe('')
      expect(BASE_URL + decodeURIComponent(url.pathname)).toBe(chapter.url)
    }
  })

  it('chapterLink of chapter 13 is spelled exactly', () => {
    expect(chapterLink(library.chapter(`${SHENRU}#14`)!)).toBe(
      'https://learn.lianglianglee.com/%E4%B8%93%E6%A0%8F/%E6%B7%B1%E5%85%A5%E5%89%96%E6%9E%90Kubernetes/13%20%E4%B8%BA%E4%BB%80%E4%B9%88%E6%88%91%E4%BB%AC%E9%9C%80%E8%A6%81Pod%EF%BC%9F.md',
    )
  })

  it('chapterLink keeps "?", "#" and "%" of a title inside the path', () => {
    for (const title of ['01 What is k8s?', 'C# 与 Kubernetes', '100% 可用的集群']) {
      const chapter = { url: `${BASE_URL}/专栏/测试专栏/${title}.md` }
      const url = new URL(chapterLink(chapter))
      expect(decodeURIComponent(url.pathname), title).toBe(`/专栏/测试专栏/${title}.md`)
      expect(url.search, title).toBe('')
      expect(url.hash, title).toBe('')
    }
  })

  it('passageLink adds a percent-encoded #:~:text= fragment quoting the start of the passage', () => {
    for (const passage of library.passages.filter((p) => p.kind !== 'comment')) {
      const chapter = library.chapter(passage.chapterKey)!
      const link = passageLink(chapter, passage.text)
      const [base, fragment] = link.split('#:~:text=')
      expect(base).toBe(chapterLink(chapter))
      expect(fragment).toBeDefined()
      expect(fragment).toMatch(/^[A-Za-z0-9%._~!*'()]+$/)
      const quote = decodeURIComponent(fragment!)
      expect(quote.length).toBeGreaterThan(0)
      expect(quote.length).toBeLessThanOrEqual(40)
      expect(passage.text.split('\n')[0]!.startsWith(quote), quote).toBe(true)
    }
  })

  it('passageLink cuts a long first line at punctuation and encodes "-", "," and "&"', () => {
    const chapter = library.chapter(KEY_CLOSING)!
    const passage = library.passages.find((p) => p.text.includes('\n所以说，Kubernetes 项目的本质'))!
    const line = passage.text.slice(passage.text.indexOf('所以说，Kubernetes 项目的本质'))
    const quote = decodeURIComponent(passageLink(chapter, line).split('#:~:text=')[1]!)
    expect(quote).toBe('所以说，Kubernetes 项目的本质其实只有一个，那就是“控制器模式”')

    const link = passageLink(chapter, 'kube-apiserver, etcd & kubelet')
    const fragment = link.split('#:~:text=')[1]!
    expect(fragment).toBe('kube%2Dapiserver%2C%20etcd%20%26%20kubelet')
  })

  it('a chapter without a URL has no links', () => {
    expect(chapterLink({ url: '' })).toBe('')
    expect(passageLink({ url: '' }, '任意文字')).toBe('')
  })
})
