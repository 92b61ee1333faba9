import { describe, expect, it } from 'vitest'
import { Suggester } from '../../src/library/suggest.js'
import { matchKey } from '../../src/text/normalize.js'
import { plainTokenizer } from '../../src/library/tokenizer.js'

/** The scanning suggester the indexed one replaced: the reference for what suggestions must be. */
function scanningSuggester(titles: string[], headings: string[]): (typed: string, limit: number) => string[] {
  const entries: { text: string; key: string; tokens: Set<string>; rank: number }[] = []
  const seen = new Set<string>()
  const add = (text: string, rank: number) => {
    const key = matchKey(text)
    if (!key || seen.has(key) || text.length > 100) return
    seen.add(key)
    entries.push({ text, key, tokens: new Set(plainTokenizer.tokenize(text)), rank })
  }
  for (const t of titles) add(t.replace(/^\s*\d{1,3}\s+/, '').trim(), 0)
  for (const h of headings) for (const part of h.split(' › ')) add(part, 1)
  return (typed, limit) => {
  const key = matchKey(typed)
  if (!key) return entries.filter((e) => e.rank === 0).slice(0, limit).map((e) => e.text)
  const starts = entries.filter((e) => e.key.startsWith(key))
  const contains = entries.filter((e) => !e.key.startsWith(key) && e.key.includes(key))
  const found = [...starts, ...contains].slice(0, limit)
  if (found.length >= limit || key.length < 2) return found.map((e) => e.text)
  const terms = plainTokenizer.tokenizeQuery(typed)
  const related = entries
    .filter((e) => !found.includes(e))
    .map((e) => ({ e, shared: terms.filter((t) => e.tokens.has(t)).length }))
    .filter((x) => x.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.e.rank - b.e.rank || terms.findIndex((t) => a.e.tokens.has(t)) - terms.findIndex((t) => b.e.tokens.has(t)))
  return [...found, ...related.map((x) => x.e)].slice(0, limit).map((e) => e.text)
  }
}

const TITLES = ['01 开篇： Kubernetes 是什么以及为什么需要它', '13 为什么我们需要Pod？', '14 深入解析Pod对象（一）：基本概念', '41 十字路口上的Kubernetes默认调度器', '13 庖丁解牛：etcd']
const HEADINGS = [
  '配置 Pod 的服务质量 › 创建命名空间',
  'Pod 的生命周期 › Pod 阶段',
  '调度器性能调优 › 节点打分',
  'etcd 备份 › 使用快照恢复',
  'kube-apiserver 配置',
  '为 Pod 配置服务账号',
  'ＰＯＤ 拓扑分布约束',
]

describe('Suggester', () => {
  it('puts titles that start with the typed text first, then headings, then those containing it', () => {
    const s = new Suggester(TITLES, HEADINGS, plainTokenizer)
    expect(s.suggest('pod', 25)).toEqual(['Pod 的生命周期', 'Pod 阶段', 'ＰＯＤ 拓扑分布约束', '为什么我们需要Pod？', '深入解析Pod对象（一）：基本概念', '配置 Pod 的服务质量', '为 Pod 配置服务账号'])
    expect(s.suggest('POD', 2)).toEqual(['Pod 的生命周期', 'Pod 阶段'])
    expect(s.suggest('调度', 25)).toEqual(['调度器性能调优', '十字路口上的Kubernetes默认调度器'])
  })

  it('lists the chapter titles for empty input, and related headings when few match literally', () => {
    const s = new Suggester(TITLES, HEADINGS, plainTokenizer)
    expect(s.suggest('  ', 3)).toEqual(['开篇： Kubernetes 是什么以及为什么需要它', '为什么我们需要Pod？', '深入解析Pod对象（一）：基本概念'])
    // No entry contains "etcd恢复" literally; both words are in headings.
    expect(s.suggest('etcd 恢复', 25)).toEqual(['庖丁解牛：etcd', 'etcd 备份', '使用快照恢复'])
  })

  it('answers as the scan did, over thousands of entries sharing long prefixes', () => {
    // Many entries under one prefix exercise the precomputed lists; few under others, the direct ranges.
    const words = ['配置', 'Pod', '调度器', '节点', '网络策略', 'kube-proxy', '存储卷', '证书']
    const titles = TITLES.concat(Array.from({ length: 60 }, (_, i) => `${i + 20} ${words[i % 8]}的${words[(i * 3) % 8]}`))
    const headings = HEADINGS.concat(Array.from({ length: 3000 }, (_, i) => `${words[i % 8]} ${words[(i >> 3) % 8]}${i % 7 === 0 ? '' : ` 第${i}节`} › 示例 ${i % 500}`))
    // Keys beyond the BMP, and keys that are each other's prefixes, sort by UTF-16 code unit as startsWith compares.
    headings.push('𠮷野家 › 𠮷', '𠮷野', '\uffff 边界', 'pod阶段', 'Pod')
    const s = new Suggester(titles, headings, plainTokenizer)
    const scanning = scanningSuggester(titles, headings)
    const typed = ['', 'p', 'po', 'pod', 'Pod 调', '配', '配置', '配置 pod', '配置pod第1', '第12', '节', '例 4', 'kube-', '调度器 证书', '网络 存储卷 原理', '示例 49', 'zz', '的', '𠮷', '𠮷野', '\uffff', '野']
    for (const t of typed) for (const limit of [1, 25, 40]) expect(s.suggest(t, limit), `${t} / ${limit}`).toEqual(scanning(t, limit))
  })
})
