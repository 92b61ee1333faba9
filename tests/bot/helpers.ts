// Shared helpers for the bot tests: the seed library, reply checks and a logger that records its lines.
import { Writable } from 'node:stream'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pino, { type Logger } from 'pino'
import { expect } from 'vitest'
import { loadCorpus } from '../../src/corpus/load-corpus.js'
import { Library } from '../../src/library/library.js'
import type { Choice, MessagePayload } from '../../src/render/payload.js'
import { choiceViolations, payloadViolations } from '../../src/render/validate.js'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const SHENRU = '深入剖析Kubernetes'
export const SHANGSHOU = 'Kubernetes 从上手到实践'
/** The two chapters whose text the seed corpus holds. */
export const KEY_SUMMARY = `${SHANGSHOU}#24`
export const KEY_CLOSING = `${SHENRU}#56`

/** The library built from the seed corpus in corpus/ (build it once per test file, in beforeAll). */
export async function seedLibrary(): Promise<Library> {
  const corpus = await loadCorpus({
    dir: path.join(REPO_ROOT, 'corpus'),
    baseUrl: 'https://learn.lianglianglee.com',
    docsBaseUrl: 'https://kubernetes.io/zh-cn/docs',
  })
  return Library.build(corpus)
}

/** Asserts a reply breaks no Discord limit and pings nobody, and hands it back. */
export function valid<T extends MessagePayload>(payload: T): T {
  expect(payloadViolations(payload)).toEqual([])
  expect(payload.allowed_mentions).toEqual({ parse: [] })
  return payload
}

export function validChoices(choices: Choice[]): Choice[] {
  expect(choiceViolations(choices)).toEqual([])
  return choices
}

/** Every button of a reply, in order. */
export function buttonsOf(payload: Pick<MessagePayload, 'components'>): { custom_id: string; label: string; disabled: boolean; emoji?: string }[] {
  return payload.components.flatMap((row) =>
    row.components.map((b) => ({
      custom_id: 'custom_id' in b ? b.custom_id : '',
      label: 'label' in b ? (b.label ?? '') : '',
      disabled: Boolean(b.disabled),
      ...('emoji' in b && b.emoji?.name ? { emoji: b.emoji.name } : {}),
    })),
  )
}

export function buttonWith(payload: Pick<MessagePayload, 'components'>, emoji: string) {
  const found = buttonsOf(payload).find((b) => b.emoji === emoji)
  if (!found) throw new Error(`no ${emoji} button in ${JSON.stringify(payload.components)}`)
  return found
}

/** Markdown as a reader sees it: escapes and zero-width spaces removed. */
export function unescape(text: string): string {
  return text.replace(/\\([\s\S])/g, '$1').replace(/\u200b/g, '')
}

/** The characters of `text` that Discord would still read as markdown: what is left after removing escaped ones. */
export function unescapedMarkdown(text: string): string {
  return text.replace(/\\[\s\S]/g, '').replace(/[^*_`|~]/g, '')
}

/** An answer's passages: the blocks of its description, each "**n.** [course · title](url)…". */
export function hitBlocks(description: string): { rank: number; label: string; url: string; body: string }[] {
  return description.split('\n\n').map((block) => {
    const m = /^\*\*(\d+)\.\*\* \[(.+?)\]\((\S+?)\)(?:\n|$)/.exec(block)
    if (!m) throw new Error(`not a hit block: ${block}`)
    return { rank: Number(m[1]), label: unescape(m[2]!), url: m[3]!, body: block.slice(m[0].length) }
  })
}

/** Markdown links [text](url) in a text. */
export function linksIn(text: string): { text: string; url: string }[] {
  return [...text.matchAll(/\[((?:\\.|[^\]\\])*)\]\((\S+?)\)/g)].map((m) => ({ text: unescape(m[1]!), url: m[2]! }))
}

/** A pino logger whose JSON lines land in `lines` (parsed) and `raw`. */
export function recordingLogger(level: pino.Level = 'info'): { logger: Logger; lines: Record<string, any>[]; raw: string[] } {
  const lines: Record<string, any>[] = []
  const raw: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue
        raw.push(line)
        lines.push(JSON.parse(line) as Record<string, any>)
      }
      callback()
    },
  })
  return { logger: pino({ level }, stream), lines, raw }
}

/** A hostile question of exactly `length` characters: mentions, markdown of every kind, backticks, emoji. */
export function hostileQuestion(length = 1000, seed = '为什么需要 Pod '): string {
  const nasty = '@everyone @here <@123> <@&456> <#789> **bold** __under__ ||spoiler|| `tick` ```block``` ~~strike~~ *it* _it_ # h > q [x](https://evil.example) \\ 😀 '
  let text = seed
  while (text.length < length) text += nasty
  text = text.slice(0, length)
  // Never end on half an emoji, nor on a space (the bot trims questions).
  if (/[\uD800-\uDBFF\s]$/.test(text)) text = `${text.slice(0, -1)}x`
  return text
}
