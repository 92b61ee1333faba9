// npm run bench:pages: how long indexing takes, and how much memory, with one hostile page in the corpus:
// 100k paragraphs (the 13 MB page: ≤ 15 s, < 400 MB) and 100k nested elements (≤ 5 s).
// Each case runs in a fresh process (the whole `npm run index` path: fingerprint, parse, build, save), so its
// peak RSS is its own.
import '../src/cli/top-level.js'
import { execFileSync } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCli } from '../src/cli/args.js'
import { PROJECT_ROOT, loadLibraryConfig } from '../src/config.js'
import { buildAndSave } from '../src/library/store.js'

const USAGE = `Usage: npm run bench:pages -- [--count N]

Indexes the bundled corpus plus one generated page of N paragraphs (default 100000), then
plus one page of N nested <div>s, each in a fresh process; prints time and peak RSS.`

const { values } = parseCli({ count: { type: 'string', default: '100000' }, child: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

if (values.child !== undefined) {
  // In the child: index CORPUS_DIR as `npm run index` would, and report.
  const started = performance.now()
  const { corpus } = await buildAndSave(loadLibraryConfig())
  const ms = performance.now() - started
  console.log(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, passages: corpus.passages.length, warnings: corpus.warnings.length }))
  process.exit(0)
}

const count = Number(values.count)
const seed = await readFile(path.join(PROJECT_ROOT, 'corpus', 'shenru-kubernetes-closing.html'), 'utf8')
/** The seed chapter page with its body replaced. */
const page = (body: string) => seed.replace(/<div class="book-post">[\s\S]*$/, `<div class="book-post"><h1 id="title">结束语 Kubernetes：赢开发者赢天下</h1>${body}</div></div></body></html>`)
const cases: [string, () => string][] = [
  [`${count} paragraphs`, () => Array.from({ length: count }, (_, i) => `<p>第${i}段：Kubernetes 的调度器把 Pod 放到合适的节点上，控制器 ${i % 997} 负责维持期望状态，这是声明式 API 的核心。</p>`).join('\n')],
  [`${count} nested elements`, () => `${'<div>'.repeat(count)}<p>藏在最深处的一段话，讲的是 Pod 里的容器如何共享网络。</p>${'</div>'.repeat(count)}`],
]
const self = fileURLToPath(import.meta.url)
console.log('case                      page MB   index s   peak RSS MB   passages')
for (const [name, body] of cases) {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-pages-'))
  try {
    await cp(path.join(PROJECT_ROOT, 'corpus'), path.join(dir, 'corpus'), { recursive: true })
    const html = page(body())
    await writeFile(path.join(dir, 'corpus', 'shenru-kubernetes-closing.html'), html)
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', ''], {
      env: { ...process.env, CORPUS_DIR: path.join(dir, 'corpus'), INDEX_PATH: path.join(dir, 'library.idx') },
      encoding: 'utf8',
    })
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; peakRssMb: number; passages: number }
    const mb = (Buffer.byteLength(html) / 1024 / 1024).toFixed(1)
    console.log(`${name.padEnd(24)}  ${mb.padStart(7)}   ${(r.ms / 1000).toFixed(1).padStart(7)}   ${r.peakRssMb.toFixed(0).padStart(11)}   ${String(r.passages).padStart(8)}`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
