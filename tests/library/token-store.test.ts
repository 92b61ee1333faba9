// The token store: every document's tokens in typed arrays, with inverted lists for the first stage.
import { describe, expect, it } from 'vitest'
import { TokenStore, TokenStoreBuilder } from '../../src/library/token-store.js'

function sample(): TokenStore {
  const builder = new TokenStoreBuilder()
  builder.add('a', ['pod', '容器', 'pod'], ['调度'])
  builder.add('b', ['容器', '网络'], ['容器', '网络模型'])
  builder.add('c', ['调度', '调度器'], [])
  builder.add('title:x', ['网络'], [])
  return builder.build()
}

describe('TokenStore', () => {
  it('knows where a token is: text before context, nothing for unknown tokens or documents', () => {
    const store = sample()
    expect(store.place('a', 'pod')).toBe('text')
    expect(store.place('a', '调度')).toBe('context')
    expect(store.place('b', '容器')).toBe('text')
    expect(store.place('a', '网络')).toBeUndefined()
    expect(store.place('zzz', 'pod')).toBeUndefined()
    expect(store.place('a', 'nope')).toBeUndefined()
  })

  it('counts a document once per token, though the token is in both its text and its context', () => {
    const store = sample()
    expect(store.documentCount).toBe(4)
    expect(store.documentFrequency('容器')).toBe(2)
    expect(store.documentFrequency('调度')).toBe(2)
    expect(store.documentFrequency('网络')).toBe(2)
    expect(store.documentFrequency('pod')).toBe(1)
    expect(store.documentFrequency('nope')).toBe(0)
  })

  it('lists the documents with a token per place, and field lengths, optionally only over the rarer tokens', () => {
    const store = sample()
    const withToken = (token: string, place: 'text' | 'context', max?: number) => {
      const ordinals: number[] = []
      store.documentsWith(token, place, (o) => ordinals.push(o), max)
      return ordinals.map((o) => store.documentIds()[o])
    }
    expect(withToken('容器', 'text')).toEqual(['a', 'b'])
    expect(withToken('容器', 'context')).toEqual(['b'])
    expect(withToken('调度', 'context')).toEqual(['a'])
    expect(withToken('调度', 'text')).toEqual(['c'])
    expect(withToken('容器', 'text', 1)).toEqual([]) // in 2 documents: more than 1
    expect(withToken('nope', 'text')).toEqual([])
    expect(store.ordinal('b')).toBe(1)
    expect(store.ordinal('missing')).toBeUndefined()
    expect(store.fieldLength(0, 'text')).toBe(2) // pod and 容器, deduplicated
    expect(store.fieldLength(0, 'context')).toBe(1)
    expect(store.fieldLength(0, 'text', 1)).toBe(1) // only pod is in at most 1 document
    expect(store.documentIds()).toEqual(['a', 'b', 'c', 'title:x'])
  })

  it('ranks documents by the total weight of the tokens they hold, per group, within a postings budget', () => {
    const store = sample()
    const weighted = [
      { token: '容器', weight: 1 },
      { token: '调度', weight: 2 },
      { token: 'pod', weight: 5 },
    ]
    const one = () => 0
    expect(store.topByWeight(weighted, 10, Infinity, 1, one)).toEqual([
      [
        { id: 'a', score: 8 },
        { id: 'c', score: 2 },
        { id: 'b', score: 1 },
      ],
    ])
    expect(store.topByWeight(weighted, 2, Infinity, 1, one)[0]!.map((d) => d.id)).toEqual(['a', 'c'])
    // Rarest first: "pod" (1 posting) is read; "调度" (2 more) would pass a budget of 2.
    expect(store.topByWeight(weighted, 10, 2, 1, one)).toEqual([[{ id: 'a', score: 5 }]])
    // Groups come from the ordinal (the place in documentIds()); -1 leaves a document out.
    const titlesApart = (o: number) => (store.documentIds()[o]!.startsWith('title:') ? 1 : o === 0 ? -1 : 0)
    expect(store.topByWeight([{ token: '网络', weight: 1 }, { token: 'pod', weight: 1 }], 10, Infinity, 2, titlesApart)).toEqual([
      [{ id: 'b', score: 1 }],
      [{ id: 'title:x', score: 1 }],
    ])
    // Searches reuse a scratch array: a second search starts from zero.
    expect(store.topByWeight(weighted, 10, Infinity, 1, one)[0]![0]).toEqual({ id: 'a', score: 8 })
  })

  it('counts how often a document\'s text has a word, and nothing for its context', () => {
    const store = sample()
    const repeats = (doc: string, word: string) => store.repeatsInText(store.ordinal(doc)!, store.idOf(word)!)
    expect(repeats('a', 'pod')).toBe(2)
    expect(repeats('a', '容器')).toBe(1)
    expect(repeats('a', '调度')).toBe(0) // in its context only
    expect(repeats('c', '调度')).toBe(1)
    const builder = new TokenStoreBuilder()
    builder.add('many', Array<string>(300).fill('pod'), [])
    const many = builder.build()
    expect(many.repeatsInText(0, many.idOf('pod')!)).toBe(255) // told apart up to 255
  })

  it('is rebuilt exactly from its parts, as the index file keeps them (lists as JSON, arrays as bytes)', () => {
    const store = sample()
    const { vocabulary, documents, tokens, offsets, repeats } = store.parts()
    const copy = TokenStore.fromParts({
      vocabulary: JSON.parse(JSON.stringify(vocabulary)) as string[],
      documents: JSON.parse(JSON.stringify(documents)) as string[],
      tokens: new Uint32Array(Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength).buffer.slice(0)),
      offsets: offsets.slice(),
      repeats: repeats.slice(),
    })
    for (const doc of store.documentIds()) {
      for (const word of copy.words()) {
        expect(copy.place(doc, word)).toBe(store.place(doc, word))
        expect(copy.repeatsInText(copy.ordinal(doc)!, copy.idOf(word)!)).toBe(store.repeatsInText(store.ordinal(doc)!, store.idOf(word)!))
      }
    }
    expect([...copy.words()]).toEqual([...store.words()])
    expect(copy.documentFrequency('容器')).toBe(2)
  })

  it('rejects stored parts that do not add up', () => {
    const parts = sample().parts()
    expect(() => TokenStore.fromParts({ ...parts, vocabulary: ['pod'] })).toThrow(/outside the vocabulary/)
    expect(() => TokenStore.fromParts({ ...parts, documents: ['a'] })).toThrow(/\d+ offsets for 1 documents/)
    expect(() => TokenStore.fromParts({ ...parts, tokens: [1, 2] as never })).toThrow(/not a stored token store/)
    expect(() => TokenStore.fromParts({ ...parts, repeats: parts.repeats.subarray(1) })).toThrow(/\d+ repeat counts for \d+ tokens/)
    expect(() => TokenStore.fromParts({ ...parts, repeats: new Uint8Array(parts.repeats.length) })).toThrow(/token \[0\] is repeated 0 times/)
    expect(() => TokenStore.fromParts({ vocabulary: [] } as never)).toThrow(/not a stored token store/)
  })
})
