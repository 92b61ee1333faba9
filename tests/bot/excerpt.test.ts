import { describe, expect, it } from 'vitest'
import { codeBlock, excerpt } from '../../src/render/excerpt.js'

const passage = [
  '控制器模式是整个系统的核心思想。',
  '它不断比较期望状态与实际状态。',
  'Deployment 的回滚由 kubectl rollout undo 完成，它回到上一个修订版本。',
  '修订版本保存在 ReplicaSet 里。',
  '默认保留 10 个旧的 ReplicaSet。',
].join('')

describe('excerpt', () => {
  it('bolds the sentence that holds the most question terms, and keeps whole sentences around it', () => {
    const { markdown, answer } = excerpt(passage, ['回滚', 'rollout', 'undo'], 80)
    expect(answer).toBe('Deployment 的回滚由 kubectl rollout undo 完成，它回到上一个修订版本。')
    expect(markdown).toContain('**Deployment 的回滚由 kubectl rollout undo 完成，它回到上一个修订版本。**')
    // Whole sentences only, "…" where text was left out, and within the budget (plus the marks).
    expect(markdown.startsWith('… ') || markdown.startsWith('它不断')).toBe(true)
    expect(markdown.replace(/\*\*|… | …/g, '').length).toBeLessThanOrEqual(80)
    for (const piece of markdown.replace(/\*\*|…/g, '').split(/(?<=。)/).filter((s) => s.trim())) expect(passage).toContain(piece.trim())
  })

  it('shows the whole passage when it fits, the terms of the other sentences bold', () => {
    const { markdown } = excerpt(passage, ['replicaset', '回滚'], 1000)
    expect(markdown).not.toContain('…')
    expect(markdown).toContain('默认保留 10 个旧的 **ReplicaSet**。')
    expect(markdown).toContain('Deployment 的**回滚**由')
  })

  it('escapes corpus text: no live link, mention or code span comes through', () => {
    const hostile = '看 [这里](http://evil) 和 [那里](http://evil2)。@everyone `x` 也在。'
    const { markdown } = excerpt(hostile, ['这里'], 200)
    expect(markdown).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/)
    expect(markdown).not.toContain('@everyone')
    expect(markdown).not.toMatch(/(?<!\\)`/)
  })

  it('bolds the sentence with the answer\'s shape when the question tells one: a number for how long, a cause for why', () => {
    const rotation = '证书轮换由 kubelet 负责。它在证书过期前 30 天换新证书。'
    expect(excerpt(rotation, ['证书', 'kubelet'], 300, 'quantity').answer).toBe('它在证书过期前 30 天换新证书。')
    expect(excerpt(rotation, ['证书', 'kubelet'], 300).answer).toBe('证书轮换由 kubelet 负责。')
    const drain = '驱逐 Pod 之前要先腾空节点。这是因为节点上的 Pod 需要先迁走。'
    expect(excerpt(drain, ['驱逐', 'pod', '节点'], 300, 'cause').answer).toBe('这是因为节点上的 Pod 需要先迁走。')
    expect(excerpt(drain, ['驱逐', 'pod', '节点'], 300).answer).toBe('驱逐 Pod 之前要先腾空节点。')
  })

  it('bolds the shaped sentence over one that restates more of the question: the number answers how many, not the words', () => {
    // The first holds three terms; the second none, but a number. The shape must outweigh three terms (ANSWER_SENTENCE.SHAPE).
    const text = '证书轮换由 kubelet 负责，kubelet 定期轮换证书。一般提前 30 天。'
    expect(excerpt(text, ['证书', 'kubelet', '轮换'], 300, 'quantity').answer).toBe('一般提前 30 天。')
    expect(excerpt(text, ['证书', 'kubelet', '轮换'], 300).answer).toBe('证书轮换由 kubelet 负责，kubelet 定期轮换证书。')
  })

  it('of two sentences with as many terms, bolds the one after a sentence that has them: the answer follows the restated question', () => {
    const text = '本节介绍镜像拉取。镜像拉取策略默认是 IfNotPresent。拉取策略也可以设为 Always。'
    expect(excerpt(text, ['镜像', '拉取', '策略'], 300).answer).toBe('镜像拉取策略默认是 IfNotPresent。')
    // The second and third sentences hold two terms each; the third follows the one with two, the second one with one.
    expect(excerpt(text, ['镜像', '策略', 'always'], 300).answer).toBe('拉取策略也可以设为 Always。')
  })

  it('keeps list items on their own lines', () => {
    const { markdown } = excerpt('调度器会依据下面的原则挑选节点：\n- 满足资源请求\n- 满足亲和性约束', ['调度器'], 300)
    expect(markdown.split('\n')).toHaveLength(3)
  })
})

describe('codeBlock', () => {
  const code = [
    { lang: 'yaml', text: 'apiVersion: v1\nkind: Pod' },
    { lang: 'shell', text: 'kubectl rollout undo deployment/nginx' },
  ]

  it('shows the sample that holds the question terms, fenced with its language', () => {
    expect(codeBlock(code, ['rollout', 'undo'], 400)).toBe('```shell\nkubectl rollout undo deployment/nginx\n```')
    expect(codeBlock(code, [], 400)).toBe('```yaml\napiVersion: v1\nkind: Pod\n```')
  })

  it('shows a few lines of a long sample, and nothing without room or code', () => {
    const long = { lang: '', text: Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') }
    const block = codeBlock([long], [], 400)
    expect(block.split('\n')).toEqual(['```', 'line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5', '…', '```'])
    expect(codeBlock([long], [], 100)).toBe('')
    expect(codeBlock(undefined, [], 400)).toBe('')
  })

  it('cannot be closed early by a fence inside the code', () => {
    const block = codeBlock([{ lang: 'md', text: 'a\n```\n**bold** @everyone' }], [], 400)
    expect(block.match(/```/g)).toHaveLength(2)
  })
})
