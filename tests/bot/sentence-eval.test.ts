// eval --sentences: how often a reply's answering sentence holds the answer.
import { describe, expect, it } from 'vitest'
import { Library } from '../../src/library/library.js'
import { answeringSentences } from '../../src/render/sentence-eval.js'

async function library(): Promise<Library> {
  const chapter = { key: 'c#1', course: 'c', position: 1, number: '01', title: '01 证书', url: 'https://example.org/1', hasText: true }
  const text = '证书轮换由 kubelet 负责。它在证书过期前 30 天换新证书。'
  return Library.build({ toc: [], chapters: [chapter], passages: [{ id: 'p', kind: 'paragraph', chapterKey: 'c#1', heading: '', text, source: 'x' }] })
}

describe('answeringSentences', () => {
  it('counts the passage hits that hold the answer, and those whose answering sentence holds it', async () => {
    const lib = await library()
    // A quantity question: the sentence with the number is the answering one.
    expect(answeringSentences(lib, [{ id: 'a', kind: 'fact', q: 'kubelet 证书多久换一次', expect: ['过期前 30 天'] }])).toEqual({ hits: 1, held: 1 })
    // The answer in the other sentence: a hit, but not held.
    expect(answeringSentences(lib, [{ id: 'b', kind: 'fact', q: 'kubelet 证书多久换一次', expect: ['由 kubelet 负责'] }])).toEqual({ hits: 1, held: 0 })
    // No hit holds the answer: nothing counted.
    expect(answeringSentences(lib, [{ id: 'c', kind: 'fact', q: 'kubelet 证书多久换一次', expect: ['不存在的答案'] }])).toEqual({ hits: 0, held: 0 })
  })
})
