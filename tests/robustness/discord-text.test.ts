// What the bot echoes and logs: no live markdown from users or forged ids, and no interaction token in the logs.
import { Writable } from 'node:stream'
import { escapeMarkdown } from '@discordjs/formatters'
import { beforeAll, describe, expect, it } from 'vitest'
import { chapter } from '../../src/commands/chapter.js'
import type { Library } from '../../src/library/library.js'
import { createLogger, redactUrlTokens } from '../../src/log.js'
import { escapeText, highlight, link } from '../../src/render/markdown.js'
import { strings } from '../../src/render/strings.js'
import { seedLibrary, unescape } from '../bot/helpers.js'

/** Whether Discord would render a masked link in `text`: a bare "[…](…)" once escaped characters are set aside. */
function hasLiveLink(text: string): boolean {
  return /\[[^\]]*\]\([^)]*\)/.test(text.replace(/\\[\s\S]/g, '_'))
}

describe('escapeText', () => {
  it.each([
    ['two links on a line (only the first was escaped)', '[a](http://evil) [b](http://evil2) zzqq'],
    ['adjacent links', '[a](http://evil)[b](http://evil2)[c](http://evil3)'],
    ['nested links', '[[inner](http://evil)](http://evil2)'],
    ['a link inside brackets', '[x [a](http://evil) y]'],
    ['links across lines', '[a](http://evil)\n[b](http://evil2)\n\n[c](http://evil3)'],
    ['a link after an escaped bracket', '\\[a](http://evil) \\\\[b](http://evil2)'],
    ['a hundred links', Array.from({ length: 100 }, (_, i) => `[${i}](http://evil/${i})`).join(' ')],
    ['a link behind bold and code', '**[a](http://evil)** `[b](http://evil2)` ~~[c](http://evil3)~~'],
  ])('%s: no masked link stays live, and the text reads as typed', (_label, text) => {
    const escaped = escapeText(text)
    expect(hasLiveLink(escaped)).toBe(false)
    expect(unescape(escaped)).toBe(text)
  })

  it('escapes exactly as escapeMarkdown would on every text, when it skips escapeMarkdown for text it would leave alone', () => {
    const always = (text: string) =>
      escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: false, inlineCode: false, codeBlock: false })
        .replace(/[`[\]]/g, '\\$&')
        .replace(/@(?=[a-z&!#]|\u200b)/gi, '@\u200b')
        .replace(/<(?=[@#:&])/g, '<\u200b')
    // Mostly Chinese, as passages are, with every character and line opening some markdown rule looks at.
    const alphabet = [...'容器调度节点集群，。（）：“”、abcxyz019 ', ...'\\*_~|>#-.`[]@<:/()hps', '\n', '\n- ', '\n* ', '\n# ', '\n  ## ', '\n12. ', '\n> ', '**', '__', '~~', '||', 'https://x_y*z ']
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 8
    let untouched = 0
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: next() % 24 }, () => alphabet[next() % alphabet.length]).join('')
      expect(escapeText(text), JSON.stringify(text)).toBe(always(text))
      if (escapeMarkdown(text) === text) untouched++
    }
    expect(untouched).toBeGreaterThan(500)
  })

  it('the check itself sees a live link', () => {
    expect(hasLiveLink('[a](http://evil)')).toBe(true)
    expect(hasLiveLink('\\[a](http://evil) [b](http://evil2)')).toBe(true)
  })

  it('highlighted passages and link labels hold too', () => {
    const text = '看 [a](http://evil) 和 [Pod](http://evil2) 以及 Pod[b](http://evil3)'
    expect(hasLiveLink(highlight(text, ['pod']))).toBe(false)
    const labelled = link('[x](http://evil) 标题', 'https://learn.example/ch(1)')
    // One live link: ours, to our URL, with its label read as typed.
    expect([...labelled.replace(/\\[\s\S]/g, '_').matchAll(/\[[^\]]*\]\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['https://learn.example/ch%281%29'])
  })

  it('the "no answer" reply quotes the question with no live link', () => {
    const reply = strings('zh-CN').noAnswer(escapeText('[a](http://evil) [b](http://evil2) zzqq'))
    expect(hasLiveLink(reply)).toBe(false)
  })
})

describe('a forged chapter custom_id', () => {
  let library: Library
  beforeAll(async () => {
    library = await seedLibrary()
  })

  it('is never echoed: the reply says the chapter is gone, in a fixed sentence', () => {
    const customId = 'chapter:[x](http://evil) @everyone **'
    const outcome = chapter.button!({ customId, message: { embeds: [] }, userId: '1', locale: 'zh-CN' } as never, library, 'zh-CN')
    expect(outcome.kind).toBe('reply')
    const text = JSON.stringify(outcome)
    expect(text).not.toContain('evil')
    expect(text).not.toContain('@everyone')
    expect(text).toContain(strings('zh-CN').chapterGone)
  })
})

describe('logs', () => {
  const TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6'

  it('redact interaction and webhook tokens from URLs wherever they are in a line', () => {
    expect(redactUrlTokens(`POST /api/v10/interactions/123456789012345678/${TOKEN}/callback`)).toBe('POST /api/v10/interactions/123456789012345678/[redacted]/callback')
    expect(redactUrlTokens(`"url":"https://discord.com/api/v10/webhooks/42/${TOKEN}/messages/@original"`)).toBe('"url":"https://discord.com/api/v10/webhooks/42/[redacted]/messages/@original"')
  })

  it('a failed callback, logged with its error, does not carry the token', () => {
    let written = ''
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString()
        done()
      },
    })
    const logger = createLogger('info', false, sink)
    const error = Object.assign(new Error('Unknown interaction'), {
      url: `https://discord.com/api/v10/interactions/123456789012345678/${TOKEN}/callback`,
      method: 'POST',
      status: 404,
    })
    logger.error({ err: error, interactionId: '123456789012345678' }, 'could not answer an interaction')
    expect(written).toContain('/interactions/123456789012345678/[redacted]/callback')
    expect(written).not.toContain(TOKEN)
  })
})
