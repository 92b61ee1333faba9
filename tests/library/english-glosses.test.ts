// The corpus's Chinese words for English ones (CC-CEDICT's glosses), worked out when the index is built.
import { describe, expect, it } from 'vitest'
import { englishGlosses, glossesOf } from '../../src/library/english-glosses.js'
import { TokenStoreBuilder } from '../../src/library/token-store.js'
import { Tokenizer } from '../../src/library/tokenizer.js'

/** A token store whose documents hold these words, each word in as many documents as it says. */
function storeWith(documentsPerWord: Record<string, number>) {
  const builder = new TokenStoreBuilder()
  const most = Math.max(...Object.values(documentsPerWord))
  for (let d = 0; d < most; d++) builder.add(`d${d}`, Object.keys(documentsPerWord).filter((w) => documentsPerWord[w]! > d), [])
  return builder.build()
}

describe('englishGlosses', () => {
  it('maps an English word to the corpus words the dictionary glosses with it, and only to those', async () => {
    const glosses = await englishGlosses(storeWith({ 快照: 1, 证书: 2, 隧道: 1 }))
    expect(glosses.get('snapshot')).toEqual(['快照'])
    expect(glosses.get('certificate')).toEqual(['证书'])
    expect(glosses.get('tunnel')).toEqual(['隧道'])
    // 删除 is not in this corpus, so nothing glosses "delete"; every word it gives is the corpus's.
    expect(glosses.has('delete')).toBe(false)
    expect([...glosses.values()].flat().every((word) => ['快照', '证书', '隧道'].includes(word))).toBe(true)
  })

  it('reads glosses past "to", articles and bracketed notes: "to delete", "(computing) proxy"', async () => {
    const glosses = await englishGlosses(storeWith({ 删除: 1, 代理: 1 }))
    expect(glosses.get('delete')).toEqual(['删除'])
    expect(glosses.get('proxy')).toEqual(['代理'])
    // A gloss of several words ("to act as an agent or proxy") is not a word.
    expect([...glosses.keys()].every((k) => /^[a-z]+$/.test(k))).toBe(true)
  })

  it('keeps the two words the corpus uses most, most used first', async () => {
    const glosses = await englishGlosses(storeWith({ 移除: 3, 去掉: 2, 消除: 1 }))
    expect(glosses.get('remove')).toEqual(['移除', '去掉'])
  })
})

describe('glossesOf', () => {
  const glosses = new Map([
    ['delete', ['删除']],
    ['policy', ['策略']],
    ['evict', ['驱逐']],
    ['take', ['获取']],
  ])

  it('finds a word as written or in its dictionary form: plurals, -ed, -ing', () => {
    expect(glossesOf('delete', glosses)).toEqual(['删除'])
    expect(glossesOf('deleted', glosses)).toEqual(['删除'])
    expect(glossesOf('deletes', glosses)).toEqual(['删除'])
    expect(glossesOf('policies', glosses)).toEqual(['策略'])
    expect(glossesOf('evicts', glosses)).toEqual(['驱逐'])
    expect(glossesOf('taking', glosses)).toEqual(['获取'])
  })

  it('gives nothing for a word it does not know, nor for a form too short to be one', () => {
    expect(glossesOf('banana', glosses)).toEqual([])
    expect(glossesOf('ed', new Map([['e', ['x']]]))).toEqual([])
  })
})

describe('questions asked in English', () => {
  const tokenizer = new Tokenizer([], new Map([['snapshot', ['快照']], ['delete', ['删除', '去掉']]]))

  it('get the Chinese words for their English words, each counted as one word with it', () => {
    const query = 'How do I delete a snapshot?'
    const terms = tokenizer.tokenizeQuery(query)
    expect(terms).toEqual(expect.arrayContaining(['delete', '删除', '去掉', 'snapshot', '快照']))
    const words = tokenizer.questionWordOfTerms(query, terms)
    const wordOf = (term: string) => words[terms.indexOf(term)]
    expect(new Set(['delete', '删除', '去掉'].map(wordOf)).size).toBe(1)
    expect(new Set(['snapshot', '快照'].map(wordOf)).size).toBe(1)
    expect(wordOf('delete')).not.toBe(wordOf('snapshot'))
  })

  it('but a Chinese question\'s Latin words are names its text uses as they are', () => {
    expect(tokenizer.tokenizeQuery('怎么 delete 快照')).not.toContain('删除')
  })
  it('take the glossary\'s words where the hand-made tables apply, and the dictionary\'s where they do not', () => {
    // The glossary translates "scheduler" as 调度器 and 调度; this corpus's dictionary word for it is 调度程序.
    const withScheduler = new Tokenizer([], new Map([['scheduler', ['调度程序']]]))
    const withTables = withScheduler.tokenizeQuery('what does the scheduler do')
    expect(withTables).toContain('调度')
    expect(withTables).not.toContain('调度程序')
    const withoutTables = withScheduler.tokenizeQuery('what does the scheduler do', { tables: false })
    expect(withoutTables).toContain('调度程序')
    expect(withoutTables).not.toContain('调度')
    // The dictionary's word then counts as one word with the English one.
    const words = withScheduler.questionWordOfTerms('what does the scheduler do', withoutTables, { tables: false })
    expect(words[withoutTables.indexOf('调度程序')]).toBe(words[withoutTables.indexOf('scheduler')])
  })
})
