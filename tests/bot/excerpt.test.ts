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
    expect(markdown).toContain('修订版本保存在 **ReplicaSet** 里。')
  })

  it('escapes corpus text: no live link, mention or code span comes through', () => {
    const hostile = '看 [这里](http://evil) 和 [那里](http://evil2)。@everyone `x` 也在。'
    const { markdown } = excerpt(hostile, ['这里'], 200)
    expect(markdown).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/)
    expect(markdown).not.toContain('@everyone')
    expect(markdown).not.toMatch(/(?<!\\)`/)
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
