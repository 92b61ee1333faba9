// Typo correction against the index vocabulary: one-edit typos, and pinyin-IME homophones however short.
import { describe, expect, it } from 'vitest'
import { SpellingCorrector } from '../../src/library/spelling.js'
import { spellingLexicon } from '../../src/library/spelling-lexicon.js'
import { plainTokenizer } from '../../src/library/tokenizer.js'

const words = ['网络', '告警', '基于', '智能', '声明', 'kubeadm', '容器', '状态', 'patch', 'manager', 'containerd', '调度', '角色', '冲突']
const corrector = new SpellingCorrector(words, spellingLexicon(words, ['声明式API与Kubernetes编程范式', '有状态应用', '容器镜像'], plainTokenizer), plainTokenizer)

describe('SpellingCorrector', () => {
  it('corrects a one-edit typo of a longer word and of an English word', () => {
    expect(corrector.corrections('生明式 API')).toContain('声明式')
    expect(corrector.corrections('kubeadmn init')).toContain('kubeadm')
  })

  it('corrects a two-character word typed with the wrong homophone (网洛 → 网络, 告竟 → 告警)', () => {
    expect(corrector.corrections('容器网洛的基础')).toContain('网络')
    expect(corrector.corrections('不重视告竟的话')).toContain('告警')
  })

  it('reads a known word as a word, and a typo in any reading of its characters (掉度 → 调度 diaodu, 觉色 → 角色 juese, 重突 → 冲突 as chong)', () => {
    // 调 alone is read tiao, 角 jiao and 重 zhong: known words read character by character, or a typo read in one
    // reading only, would be missed.
    expect(corrector.corrections('Pod 的掉度过程')).toContain('调度')
    expect(corrector.corrections('觉色绑定')).toContain('角色')
    expect(corrector.corrections('端口重突怎么办')).toContain('冲突')
  })

  it('leaves real words alone though they sound like one the index knows (寄语 ≠ 基于, 只能 ≠ 智能)', () => {
    expect(corrector.corrections('作者最后的寄语')).not.toContain('基于')
    expect(corrector.corrections('为什么只能做到软多租户')).not.toContain('智能')
  })

  it('does not read real words as a one-edit typo of a course word (所有 + 状态 is not 有状态)', () => {
    expect(corrector.corrections('集群的所有状态存在哪里')).toEqual([])
    // One-character words are words too: 跑 + 状态 is not 有状态.
    expect(corrector.corrections('容器跑状态')).toEqual([])
  })

  it('still hears a homophone slip made of real words (容器 + 镜象 → 容器镜像)', () => {
    expect(corrector.corrections('容器镜象是怎么构成的')).toContain('容器镜像')
  })

  it('leaves English words alone: short ones, and ones the glossary translates ("batch" ≠ patch, "managed" ≠ manager)', () => {
    expect(corrector.corrections('run batch jobs')).toEqual([])
    expect(corrector.corrections('how are GPUs managed in a container')).toEqual([])
  })

  it('changes nothing in a correctly spelt question', () => {
    expect(corrector.corrections('容器网络和告警')).toEqual([])
  })
})
