import { loadBenchBase } from './src/bench/base-corpus.js'
import { synthesizeCorpus } from './src/bench/synth.js'
import { Suggester } from './src/library/suggest.js'
const base = await loadBenchBase({})
const { corpus } = synthesizeCorpus(base, 100000)
let t = performance.now()
const s = new Suggester(corpus.chapters.map((c) => c.title), [...new Set(corpus.passages.filter((p) => p.kind !== 'comment').map((p) => p.heading).filter(Boolean))])
console.log('build', performance.now() - t, s.size)
s.suggest('zzqx', 25)
const times: [number, string][] = []
for (const p of base.queries.prefixes) { const a = performance.now(); s.suggest(p, 25); times.push([performance.now() - a, p]) }
times.sort((a, b) => b[0] - a[0]); console.log(base.queries.prefixes.length, times.slice(0, 15))
import { tokenizeQuery } from './src/library/tokenizer.js'
const steady: [number, string, number][] = []
for (const p of base.queries.prefixes) { let best = Infinity; for (let r = 0; r < 5; r++) { const a = performance.now(); s.suggest(p, 25); best = Math.min(best, performance.now() - a) } let tq = Infinity; for (let r = 0; r < 5; r++) { const a = performance.now(); tokenizeQuery(p); tq = Math.min(tq, performance.now() - a) } steady.push([best, p, tq]) }
steady.sort((a, b) => b[0] - a[0]); console.log(steady.slice(0, 12))
