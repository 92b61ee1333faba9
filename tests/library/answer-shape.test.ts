// What a question's wording says its answer looks like, and whether a sentence has that shape.
import { describe, expect, it } from 'vitest'
import { answerShape, hasAnswerShape } from '../../src/library/answer-shape.js'

describe('answerShape', () => {
  it('reads a quantity from how many, how long, default, which version and which port questions, in Chinese and English', () => {
    for (const q of ['Deployment 默认保留多少个旧版本？', 'kubelet 多久上报一次状态', '默认值是什么', 'How many replicas are kept?', 'What is the default grace period?', 'CoreDNS 从哪个版本起是默认的', 'kubelet 监听什么端口', 'Which port does the kubelet listen on?']) {
      expect(answerShape(q), q).toBe('quantity')
    }
  })

  it('reads a cause from why questions', () => {
    for (const q of ['为什么需要 Pod？', 'Pod 一直 Pending 是什么原因', 'Why does the scheduler preempt pods?']) expect(answerShape(q), q).toBe('cause')
  })

  it('reads a yes-or-no question', () => {
    for (const q of ['Secret 改了会自动更新吗', '静态 Pod 能不能加临时容器', '是否支持 IPv6？', 'Can a Pod and a Deployment share a name?', 'Does the kubelet retry?']) {
      expect(answerShape(q), q).toBe('polar')
    }
  })

  it('reads nothing from other questions', () => {
    for (const q of ['怎么回滚 Deployment', '什么是 Service', 'How do I drain a node?', 'defaulting webhooks', 'Service 是什么么']) expect(answerShape(q), q).toBeUndefined()
  })
})

describe('hasAnswerShape', () => {
  it('a number for a quantity, a word of cause or purpose for a why, a negation or limit for yes or no, nothing without a shape', () => {
    expect(hasAnswerShape('默认保留 10 个。', 'quantity')).toBe(true)
    expect(hasAnswerShape('默认保留旧版本。', 'quantity')).toBe(false)
    expect(hasAnswerShape('默认保留１０个。', 'quantity')).toBe(true) // full-width, as a text may be written
    expect(hasAnswerShape('这是因为容器需要共享网络。', 'cause')).toBe(true)
    expect(hasAnswerShape('为了让容器共享网络。', 'cause')).toBe(true)
    expect(hasAnswerShape('容器共享网络。', 'cause')).toBe(false)
    expect(hasAnswerShape('静态 Pod 不支持临时容器。', 'polar')).toBe(true)
    expect(hasAnswerShape('该字段只能在创建时设置。', 'polar')).toBe(true)
    expect(hasAnswerShape('静态 Pod 由 kubelet 管理。', 'polar')).toBe(false)
    expect(hasAnswerShape('因为 10 个', undefined)).toBe(false)
  })
})
