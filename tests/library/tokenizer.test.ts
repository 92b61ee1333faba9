// The one tokenizer used for the index and for queries, on mixed Chinese/English text.
import { describe, expect, it } from 'vitest'
import { ENGLISH_TO_CHINESE } from '../../src/library/glossary.js'
import { generalRarity } from '../../src/library/general-rarity.js'
import { plainTokenizer } from '../../src/library/tokenizer.js'

// The tokenizer of a corpus with no words of its own: what every corpus's tokenizer does besides those words.
const tokenize = (text: string) => plainTokenizer.tokenize(text)
const tokenizeForIndex = (text: string) => plainTokenizer.tokenizeForIndex(text)
const tokenizeQuery = (text: string) => plainTokenizer.tokenizeQuery(text)
const questionWordOfTerms = (query: string, terms: readonly string[]) => plainTokenizer.questionWordOfTerms(query, terms)
import { matchKey, normalize } from '../../src/text/normalize.js'
import { SEEDS, readSeed } from './helpers.js'

describe('normalize', () => {
  it('applies NFKC then lowercases: full-width letters, digits and punctuation fold', () => {
    expect(normalize('ＰＯＤ')).toBe('pod')
    expect(normalize('Ｋ８Ｓ　１．１３')).toBe('k8s 1.13')
    expect(normalize('为什么？')).toBe('为什么?')
  })

  it('matchKey ignores whitespace, punctuation and width', () => {
    expect(matchKey('Kubernetes 为什么会赢？')).toBe(matchKey('Ｋｕｂｅｒｎｅｔｅｓ为什么会赢 ?'))
    expect(matchKey('“API 为王”')).toBe('api为王')
  })

  it('matchKey drops symbols beyond the BMP and keeps letters there, and leaves a lone surrogate alone', () => {
    expect(matchKey('部署 😀 完成 ✅')).toBe('部署完成')
    expect(matchKey('𠀀字，𝐀')).toBe('𠀀字a')
    expect(matchKey('a\ud800 b')).toBe('a\ud800b')
    expect(matchKey('  。，  ')).toBe('')
  })

  it('matchKey keeps exactly what is not whitespace, punctuation or a symbol, on random text', () => {
    const reference = (text: string) => normalize(text).match(/[^\s\p{P}\p{S}]+/gu)?.join('') ?? ''
    const units = [0x20, 0x3000, 0x41, 0x61, 0x2d, 0x5f, 0x4e2d, 0xff0c, 0x3002, 0xff21, 0x2122, 0xd83d, 0xde00, 0xd840, 0xdc00]
    let seed = 7
    // An LCG's low bits repeat quickly: use its high ones.
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 12
    for (let n = 0; n < 2000; n++) {
      const text = String.fromCharCode(...Array.from({ length: next() % 12 }, () => (next() % 4 === 0 ? next() % 0x10000 : units[next() % units.length]!)))
      expect(matchKey(text), JSON.stringify(text)).toBe(reference(text))
    }
  })
})

describe('tokenize', () => {
  it('normalises width and case (ＰＯＤ → pod, full-width digits)', () => {
    expect(tokenize('ＰＯＤ')).toEqual(['pod'])
    expect(tokenize('Pod')).toEqual(['pod'])
    expect(tokenize('ｖ１．１３')).toEqual(tokenize('v1.13'))
    expect(tokenize('ｖ１．１３')).toContain('v1.13')
  })

  it('segments Chinese runs with jieba', () => {
    const tokens = tokenize('容器设计模式')
    expect(tokens).toEqual(expect.arrayContaining(['容器', '设计', '模式']))
    expect(tokenize('声明式API与控制器模式')).toEqual(expect.arrayContaining(['声明', 'api', '控制器', '模式']))
    // cutForSearch also yields the short words inside a long one.
    expect(tokenize('操作系统')).toEqual(['操作', '系统', '操作系统'])
  })

  it('numbers each query term by the word of the question it comes from: a Chinese word and its pieces share one', () => {
    const query = '多长时间能装好 kube-apiserver？'
    const terms = tokenizeQuery(query)
    const words = questionWordOfTerms(query, terms)
    const wordOf = (term: string) => words[terms.indexOf(term)]
    expect(terms).toEqual(expect.arrayContaining(['多长', '时间', '长时间', '多长时间', 'kube-apiserver', 'kube', 'apiserver']))
    expect(new Set(['多长', '时间', '长时间', '多长时间'].map(wordOf)).size).toBe(1)
    // Latin words and their parts stand alone: a hyphenated name is more than the sum of its parts.
    expect(new Set(['多长时间', 'kube-apiserver', 'kube', 'apiserver'].map(wordOf)).size).toBe(4)
  })

  it('keeps English words in mixed text', () => {
    const tokens = tokenize('使用 Helm 部署 Redis，再用 kubectl 查看')
    expect(tokens).toEqual(expect.arrayContaining(['helm', 'redis', 'kubectl', '部署', '查看']))
  })

  it('keeps compounds and their parts: kube-apiserver → kube-apiserver, kube, apiserver', () => {
    expect(tokenize('kube-apiserver')).toEqual(['kube-apiserver', 'kube', 'apiserver'])
    expect(tokenize('庖丁解牛：kube-scheduler')).toEqual(expect.arrayContaining(['kube-scheduler', 'kube', 'scheduler', '庖丁解牛']))
    expect(tokenize('controller_manager')).toEqual(['controller_manager', 'controller', 'manager'])
  })

  it('maps k8s / K8S / ｋ８ｓ to kubernetes', () => {
    for (const variant of ['k8s', 'K8S', 'K8s', 'ｋ８ｓ', 'Ｋ８Ｓ', 'Kubernetes', 'KUBERNETES']) expect(tokenize(variant), variant).toEqual(['kubernetes'])
    expect(tokenize('K8S 集群')).toEqual(tokenize('Kubernetes 集群'))
  })

  it('drops punctuation and whitespace', () => {
    expect(tokenize('，。！？、；：“”‘’（）《》【】—…·  \t\n!?.,;:()[]{}<>/\\-_')).toEqual([])
    const tokens = tokenize('“API 为王”的思路，早已经深入到了 Kubernetes 里每一个 API 对象的每一个字段（field）的设计过程当中。')
    expect(tokens.length).toBeGreaterThan(5)
    for (const t of tokens) expect(t, JSON.stringify(t)).toMatch(/^[\p{L}\p{N}]([\p{L}\p{N}._-]*[\p{L}\p{N}])?$/u)
  })

  it('drops question and function words (什么, 怎么, 如何, 吗 …)', () => {
    expect(tokenize('什么 怎么 如何 吗 呢 的 了')).toEqual([])
    expect(tokenize('Pod 是什么？')).toEqual(['pod'])
    expect(tokenize('如何部署 Redis 呢')).toEqual(expect.arrayContaining(['部署', 'redis']))
    expect(tokenize('如何部署 Redis 呢')).not.toEqual(expect.arrayContaining(['如何']))
    expect(tokenize('怎么搭建集群吗')).toEqual(expect.not.arrayContaining(['怎么', '吗']))
    // "为什么" carries meaning (why) and stays; its part "什么" goes.
    expect(tokenize('为什么需要 Pod')).toContain('为什么')
    expect(tokenize('为什么需要 Pod')).not.toContain('什么')
    // Chat-style ones too: 咋 is 怎么.
    expect(tokenize('pod一直pending咋办')).toEqual(['pod', 'pending', '一直'])
    expect(tokenize('镜像删了会咋样 行不行')).toEqual(expect.not.arrayContaining(['咋样', '行不行']))
  })

  it('never returns a token twice, on repeated words or on a whole chapter', async () => {
    expect(tokenize('Pod Pod pod ＰＯＤ 容器 容器 k8s Kubernetes').sort()).toEqual(['kubernetes', 'pod', '容器'].sort())
    const html = await readSeed(SEEDS.shenru)
    const text = html.replace(/<[^>]+>/g, ' ')
    const tokens = tokenize(text)
    expect(tokens.length).toBeGreaterThan(200)
    expect(new Set(tokens).size).toBe(tokens.length)
  })

  it('maps plural English nouns to the singular the course uses', () => {
    expect(tokenize('Pods and Services')).toEqual(['pod', 'service'])
  })

  it('gives the same tokens when indexing (the whole dictionary) as when answering (the words the text holds)', async () => {
    const html = await readSeed(SEEDS.shangshou)
    for (const line of html.replace(/<[^>]+>/g, '\n').split('\n').filter((l) => l.trim() !== '')) expect(tokenize(line), line).toEqual(tokenizeForIndex(line))
  })
})

describe('the English glossary applies to queries only', () => {
  it('adds Chinese terms to an English query (scheduler → 调度 …)', () => {
    expect(tokenizeQuery('scheduler')).toEqual(expect.arrayContaining(['scheduler', '调度']))
    expect(tokenizeQuery('storage')).toEqual(expect.arrayContaining(['storage', '存储']))
    expect(tokenizeQuery('why')).toEqual(expect.arrayContaining(['为什么']))
    expect(tokenizeQuery('essence')).toEqual(expect.arrayContaining(['本质']))
    expect(tokenizeQuery('service discovery')).toEqual(expect.arrayContaining(['服务', '发现']))
    expect(tokenizeQuery('Why does Kubernetes WIN?')).toEqual(expect.arrayContaining(['kubernetes', '为什么', '赢']))
  })

  it('leaves index-time tokens of the same words alone', () => {
    expect(tokenize('scheduler')).toEqual(['scheduler'])
    expect(tokenize('storage')).toEqual(['storage'])
    expect(tokenize('why does Kubernetes win')).not.toContain('为什么')
  })

  it('translates phrases before their words: "scheduled cron tasks" are CronJobs, "batch jobs" offline work', () => {
    const tokens = tokenizeQuery('How do I run batch jobs and scheduled cron tasks?')
    expect(tokens).toEqual(expect.arrayContaining(['cronjob', '定时', '离线', '业务']))
    expect(tokenizeQuery('How are GPUs allocated?')).toEqual(expect.arrayContaining(['gpu', '分配']))
  })

  it('matches whole words only: "cloud" in "soundcloud" is not translated', () => {
    expect(Object.keys(ENGLISH_TO_CHINESE)).toContain('cloud')
    expect(tokenizeQuery('soundcloud')).toEqual(['soundcloud'])
  })

  it('has no duplicates after translation', () => {
    const tokens = tokenizeQuery('why why scheduler scheduler 调度 为什么')
    expect(new Set(tokens).size).toBe(tokens.length)
  })
})

describe('the topic thesaurus applies to queries only', () => {
  it('leads a description of a topic to the term a title uses', () => {
    expect(tokenizeQuery('集群的键值数据库')).toContain('etcd')
    expect(tokenizeQuery('每个节点上都跑一个 agent')).toContain('daemonset')
    expect(tokenizeQuery('显卡怎么分配')).toEqual(expect.arrayContaining(['gpu', 'device', 'plugin']))
    expect(tokenize('集群的键值数据库')).not.toContain('etcd')
  })

  it('matches Latin keys as whole words only: "kind" but not "kinds"', () => {
    expect(tokenizeQuery('用 kind 起一个集群')).toEqual(expect.arrayContaining(['本地', '快速', '搭建']))
    expect(tokenizeQuery('all kinds of clusters')).not.toContain('搭建')
  })

  it('matches Chinese keys only where the question\'s words begin and end: 所有|状态 is not 有状态', () => {
    expect(tokenizeQuery('集群的所有状态都存在 etcd 里')).not.toContain('statefulset')
    expect(tokenizeQuery('有状态的应用怎么部署')).toContain('statefulset')
  })
  it('is left out without the hand-made tables, and with it the glossary; how a question asks is kept', () => {
    expect(plainTokenizer.tokenizeQuery('集群的键值数据库', { tables: false })).not.toContain('etcd')
    // The tables' terms apart, for the chapters known only by their title.
    expect(plainTokenizer.tokenizeQueryApart('集群的键值数据库')).toEqual({ own: plainTokenizer.tokenizeQuery('集群的键值数据库', { tables: false }), tables: ['etcd'] })
    expect(plainTokenizer.tokenizeQuery('why does the scheduler preempt pods', { tables: false })).not.toContain('调度器')
    // 为啥 and 为何 ask 为什么, on every corpus.
    for (const tables of [true, false]) {
      expect(plainTokenizer.tokenizeQuery('为啥要有 Pod', { tables })).toContain('为什么')
      expect(plainTokenizer.tokenizeQuery('为何要有 Pod', { tables })).toContain('为什么')
    }
  })
})

describe('general rarity of words', () => {
  it('scales words commoner in general Chinese than the threshold by their general IDF, and leaves the rest whole', () => {
    const rarity = generalRarity(['上', '问题', '容器', '集群', 'kubernetes', '庖丁解牛'], 11)
    expect(rarity.get('上')!).toBeLessThan(0.3)
    expect(rarity.get('问题')!).toBeGreaterThan(rarity.get('上')!)
    expect(rarity.get('容器')!).toBeGreaterThan(rarity.get('问题')!)
    expect(rarity.get('容器')!).toBeLessThan(1)
    // As rare as the threshold or rarer, or not in jieba's table at all: no entry, full weight.
    expect(rarity.has('庖丁解牛')).toBe(false)
    expect(rarity.has('kubernetes')).toBe(false)
  })

  it('moves with its threshold, and scales nothing at 0', () => {
    expect(generalRarity(['容器'], 8).has('容器')).toBe(false)
    expect(generalRarity(['容器'], 11).get('容器')).toBeCloseTo(8.4935 / 11, 3)
    expect(generalRarity(['上', '问题'], 0).size).toBe(0)
  })

  it('only looks up the words asked for', () => {
    expect([...generalRarity(['上'], 11).keys()]).toEqual(['上'])
  })
})
