// Orama with our index component: whole-word lookup in the token store's postings and BM25 from field lengths.
import { describe, expect, it } from 'vitest'
import { buildDb, searchDb, type FieldPostings } from '../../src/library/search-index.js'
import { TokenStoreBuilder } from '../../src/library/token-store.js'

const builder = new TokenStoreBuilder()
builder.add('a', ['kubelet', '节点', '容器'], ['组件'])
builder.add('b', ['kube', '组件', '名字', '前缀', '很多', '常见'], [])
builder.add('c', ['调度器', '节点'], ['kubelet'])
builder.add('elsewhere', ['节点'], []) // in the postings, not in this db
const store = builder.build()
const docs = [
  { id: 'a', course: 'x' },
  { id: 'b', course: 'x' },
  { id: 'c', course: 'y' },
]
const postings: FieldPostings = {
  documentCount: store.documentCount,
  ordinal: (id) => store.ordinal(id),
  fieldLength: (ordinal, field) => store.fieldLength(ordinal, field),
  documentsWith: (word, field, visit) => store.documentsWith(word, field, visit),
}
const db = await buildDb(docs, postings, 10)
const ids = (hits: { id: string }[]) => hits.map((h) => h.id)

describe('the search index (Orama with our index component)', () => {
  it('finds documents by whole words only, never by prefix', () => {
    expect(ids(searchDb(db, ['kube'], 10))).toEqual(['b'])
    expect(ids(searchDb(db, ['kubel'], 10))).toEqual([])
    expect(ids(searchDb(db, ['调度'], 10))).toEqual([])
    expect(ids(searchDb(db, ['调度器'], 10))).toEqual(['c'])
  })

  it('ranks by BM25: a text match above a context match, a shorter text above a longer one', () => {
    expect(ids(searchDb(db, ['kubelet'], 10))).toEqual(['a', 'c'])
    expect(ids(searchDb(db, ['节点'], 10))).toEqual(['c', 'a'])
    const [first, second] = searchDb(db, ['节点'], 10)
    expect(first!.score).toBeGreaterThan(second!.score)
  })

  it('lets any term match (threshold 1), sums the terms a document has, and filters by course', () => {
    expect(ids(searchDb(db, ['kube', '调度器', 'nothing'], 10)).sort()).toEqual(['b', 'c'])
    expect(ids(searchDb(db, ['节点', 'kubelet'], 10))[0]).toBe('a')
    expect(ids(searchDb(db, ['节点'], 10, 'x'))).toEqual(['a'])
    expect(searchDb(db, [], 10)).toEqual([])
  })

  it('returns at most the number of results it was built for: the best ones, as a full search ranks them', async () => {
    const one = await buildDb(docs, postings, 1)
    expect(searchDb(one, ['节点'], 1)).toEqual(searchDb(db, ['节点'], 10).slice(0, 1))
    expect(searchDb(one, ['kube', '调度器'], 1)).toEqual(searchDb(db, ['kube', '调度器'], 10).slice(0, 1))
    expect(() => searchDb(one, ['节点'], 2)).toThrow(/limit of 2/)
  })
})
