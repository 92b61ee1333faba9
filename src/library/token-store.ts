/** Where a token occurs in a document: in its own text, or only in its context (heading, chapter title). */
export type TokenPlace = 'text' | 'context'

interface DocTokens {
  id: string
  text: Uint32Array
  context: Uint32Array
}

export interface TokenStoreJson {
  vocabulary: string[]
  /** Per document: sorted token ids of its text, then of its context. */
  docs: Record<string, [number[], number[]]>
}

function includes(sorted: Uint32Array, value: number): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = sorted[mid]!
    if (v === value) return true
    if (v < value) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

/**
 * Every document's tokens, compactly: one vocabulary, and per document two sorted arrays of token ids. At
 * 100k passages this is tens of megabytes where Sets of strings would be hundreds. It answers the rescoring
 * stage's questions: does this document have this token, and how many documents have it.
 */
export class TokenStore {
  private readonly ids = new Map<string, number>()
  private readonly vocabulary: string[] = []
  private readonly frequency: number[] = []
  private readonly docs = new Map<string, DocTokens>()
  /** Token id → ids of the documents that have it, found on first use: only questions made of common words need it. */
  private readonly postings = new Map<number, string[]>()

  private idOf(token: string): number {
    let id = this.ids.get(token)
    if (id === undefined) {
      id = this.vocabulary.length
      this.ids.set(token, id)
      this.vocabulary.push(token)
      this.frequency.push(0)
    }
    return id
  }

  add(docId: string, text: readonly string[], context: readonly string[]): void {
    const textIds = Uint32Array.from(new Set(text.map((t) => this.idOf(t)))).sort()
    const contextIds = Uint32Array.from(new Set(context.map((t) => this.idOf(t)))).sort()
    for (const id of new Set([...textIds, ...contextIds])) this.frequency[id]!++
    this.docs.set(docId, { id: docId, text: textIds, context: contextIds })
    this.postings.clear()
  }

  get documentCount(): number {
    return this.docs.size
  }

  /** In how many documents a token occurs (0 for unknown tokens). */
  documentFrequency(token: string): number {
    const id = this.ids.get(token)
    return id === undefined ? 0 : this.frequency[id]!
  }

  words(): IterableIterator<string> {
    return this.ids.keys()
  }

  place(docId: string, token: string): TokenPlace | undefined {
    const id = this.ids.get(token)
    const doc = this.docs.get(docId)
    if (id === undefined || !doc) return undefined
    if (includes(doc.text, id)) return 'text'
    if (includes(doc.context, id)) return 'context'
    return undefined
  }

  /** A document's tokens, in its text or its context. */
  tokensOf(docId: string, place: TokenPlace): string[] {
    const doc = this.docs.get(docId)
    return doc ? [...doc[place]].map((id) => this.vocabulary[id]!) : []
  }

  /** Ids of the documents that have this token (a scan of every document the first time a token is asked for). */
  documentsWith(token: string): readonly string[] {
    const id = this.ids.get(token)
    if (id === undefined) return []
    let found = this.postings.get(id)
    if (!found) {
      found = []
      for (const doc of this.docs.values()) if (includes(doc.text, id) || includes(doc.context, id)) found.push(doc.id)
      this.postings.set(id, found)
    }
    return found
  }

  toJSON(): TokenStoreJson {
    const docs: TokenStoreJson['docs'] = {}
    for (const [id, doc] of this.docs) docs[id] = [[...doc.text], [...doc.context]]
    return { vocabulary: [...this.vocabulary], docs }
  }

  static fromJSON(json: TokenStoreJson): TokenStore {
    const store = new TokenStore()
    for (const word of json.vocabulary) store.idOf(word)
    for (const [docId, [text, context]] of Object.entries(json.docs)) {
      const doc = { id: docId, text: Uint32Array.from(text), context: Uint32Array.from(context) }
      for (const id of new Set([...doc.text, ...doc.context])) store.frequency[id]!++
      store.docs.set(docId, doc)
    }
    return store
  }
}
