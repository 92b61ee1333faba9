// Benchmark queries: the eval questions plus the docs' headings turned into questions.
import type { Passage } from '../corpus/types.js'
import { matchKey } from '../text/normalize.js'
import { seededRandom, shuffle } from './stats.js'

/** Headings that start with one of these read as tasks ("创建 Pod" → "如何创建 Pod？"); the others as things. */
const TASK_VERBS = (
  '使用 创建 配置 验证 设置 检查 启用 禁用 更新 安装 卸载 定义 扩展 通过 将 删除 移除 升级 降级 编写 运行 部署 ' +
  '理解 限制 启动 重启 访问 保护 强制 指定 获取 用 为 在 添加 查看 管理 迁移 调试 测试 准备 清理 暴露 替换 选择 ' +
  '编辑 声明 触发 处理 发布 监控 注册 申请 挂载 调度 回滚 扩缩 缩放 执行 加密 轮换 签署 生成 导出 导入 下载 构建 ' +
  '实现 排查 连接 映射 请求 修改 关闭 打开 开启 确定 分配 预留 控制 共享 声明 绑定 授权 设定 观察 了解 探索 开始'
).split(/\s+/)

/** A heading as a question a user might ask: "<heading>是什么？" or "如何<heading>？". Undefined when unsuitable. */
export function headingQuestion(heading: string): string | undefined {
  const h = heading.replace(/[\s:：。.]+$/u, '').trim()
  const length = [...h].length
  if (length < 2 || length > 40) return undefined
  if (/[？?]$/u.test(h)) return h
  if (/^(如何|怎样|怎么|为什么|何时|什么)/u.test(h)) return `${h}？`
  if (TASK_VERBS.some((verb) => h.startsWith(verb))) return `如何${h}？`
  return `${h}是什么？`
}

/**
 * Distinct heading questions of a set of passages. Headings used by many pages ("清理", "示例", "接下来")
 * say nothing about a topic and are left out.
 */
export function headingQuestions(passages: readonly Pick<Passage, 'heading' | 'chapterKey' | 'kind'>[], maxPagesPerHeading = 3): string[] {
  const pages = new Map<string, Set<string>>()
  for (const p of passages) {
    if (p.kind === 'comment' || !p.heading) continue
    for (const part of p.heading.split(' › ')) {
      const set = pages.get(part) ?? new Set<string>()
      set.add(p.chapterKey)
      pages.set(part, set)
    }
  }
  const seen = new Set<string>()
  const questions: string[] = []
  for (const [heading, chapters] of pages) {
    if (chapters.size > maxPagesPerHeading) continue
    const q = headingQuestion(heading)
    if (!q || seen.has(matchKey(q))) continue
    seen.add(matchKey(q))
    questions.push(q)
  }
  return questions
}

/** Fallback without docs headings: a short keyword phrase from the start of each passage's first sentence. */
export function sentenceQueries(passages: readonly Pick<Passage, 'text' | 'kind'>[]): string[] {
  const out = new Set<string>()
  for (const p of passages) {
    if (p.kind === 'comment') continue
    for (const sentence of p.text.split(/[。！？!?\n]/u)) {
      const s = sentence.replace(/^[-\s]+/u, '').trim()
      if ([...s].length >= 6) out.add([...s].slice(0, 14).join(''))
    }
  }
  return [...out]
}

export interface QuerySet {
  /** Timed, the same for every engine and size. */
  timed: string[]
  /** Run before timing; disjoint from `timed` where there are enough questions. */
  warmup: string[]
  /** Autocomplete prefixes (1–6 characters of timed questions). */
  prefixes: string[]
  /** How many timed queries are eval questions and how many generated. */
  fromEval: number
  fromHeadings: number
  /** True when there were fewer distinct questions than asked for and some repeat. */
  repeated: boolean
}

/**
 * Every eval question, then generated questions chosen by a seeded shuffle, up to `count`; the generated
 * questions left over become the warm-up set.
 */
export function buildQuerySet(evalQuestions: readonly string[], generated: readonly string[], count: number, warmupCount: number, seed = 7): QuerySet {
  const evalSet = [...new Set(evalQuestions)]
  const evalKeys = new Set(evalSet.map(matchKey))
  const pool = shuffle(
    [...new Set(generated)].filter((q) => !evalKeys.has(matchKey(q))),
    seededRandom(seed),
  )
  const need = Math.max(0, count - evalSet.length)
  const fromHeadings = pool.slice(0, need)
  let timed = [...evalSet, ...fromHeadings]
  let repeated = false
  if (timed.length < count && timed.length > 0) {
    repeated = true
    const base = timed
    timed = Array.from({ length: count }, (_, i) => base[i % base.length]!)
  }
  const rest = pool.slice(need)
  const warmup = (rest.length >= warmupCount ? rest : [...rest, ...timed]).slice(0, warmupCount)
  const prefixes = timed.map((q, i) => [...q.replace(/\s+/gu, ' ').trim()].slice(0, 1 + (i % 6)).join(''))
  return { timed, warmup, prefixes, fromEval: evalSet.length, fromHeadings: fromHeadings.length, repeated }
}
