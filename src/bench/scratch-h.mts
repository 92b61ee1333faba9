import { loadCorpus } from '../corpus/load-corpus.js'
const docs = await loadCorpus({ dir: '/work/shared/corpora/k8s-docs-zh', baseUrl: 'https://x', docsBaseUrl: 'https://kubernetes.io/zh-cn/docs' })
const m = new Map<string, Set<string>>()
for (const p of docs.passages) { const h = p.heading.split(' › ').at(-1)!; if (!h) continue; const s = m.get(h) ?? new Set(); s.add(p.chapterKey); m.set(h, s) }
console.log(m.size)
const sorted = [...m].sort((a,b)=>b[1].size-a[1].size)
console.log(sorted.slice(0,40).map(([h,s])=>h+':'+s.size).join(' | '))
console.log(sorted.slice(400,460).map(([h])=>h).join(' | '))
const firsts = new Map<string, number>(); for (const [h] of m) { const f = h.slice(0,2); firsts.set(f,(firsts.get(f)??0)+1) }
console.log([...firsts].sort((a,b)=>b[1]-a[1]).slice(0,60).map(x=>x.join(':')).join(' '))
