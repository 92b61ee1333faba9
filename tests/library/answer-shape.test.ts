// What a question's wording says its answer looks like, and whether a sentence has that shape.
import { describe, expect, it } from 'vitest'
import { answerShape, hasAnswerShape } from '../../src/library/answer-shape.js'

describe('answerShape', () => {
  it('reads a quantity from how many, how long and default questions, in Chinese and English', () => {
    for (const q of ['Deployment 默认保留多少个旧版本？', 'kubelet 多久上报一次状态', '默认值是什么', 'How many replicas are kept?', 'What is the default grace period?']) {
      expect(answerShape(q), q).toBe('quantity')
    }
  })

  it('reads a cause from why questions', () => {
    for (const q of ['为什么需要 Pod？', 'Pod 一直 Pending 是什么原因', 'Why does the scheduler preempt pods?']) expect(answerShape(q), q).toBe('cause')
  })

  it('reads nothing from other questions', () => {
    for (const q of ['怎么回滚 Deployment', '什么是 Service', 'How do I drain a node?', 'defaulting webhooks']) expect(answerShape(q), q).toBeUndefined()
  })
})

describe('hasAnswerShape', () => {
  it('a number for a quantity, a word of cause or purpose for a why, nothing without a shape', () => {
    expect(hasAnswerShape('默认保留 10 个。', 'quantity')).toBe(true)
    expect(hasAnswerShape('默认保留旧版本。', 'quantity')).toBe(false)
    expect(hasAnswerShape('默认保留１０个。', 'quantity')).toBe(true) // full-width, as a text may be written
    expect(hasAnswerShape('这是因为容器需要共享网络。', 'cause')).toBe(true)
    expect(hasAnswerShape('为了让容器共享网络。', 'cause')).toBe(true)
    expect(hasAnswerShape('容器共享网络。', 'cause')).toBe(false)
    expect(hasAnswerShape('因为 10 个', undefined)).toBe(false)
  })
})
