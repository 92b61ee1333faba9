import { describe, expect, it } from 'vitest'
import { notice } from '../../src/render/replies.js'
import { renderText } from '../../src/render/text.js'
import type { MessagePayload } from '../../src/render/payload.js'

describe('console text rendering', () => {
  it('shows links as "text <url>", drops bold and italic markers and markdown escapes', () => {
    const payload: MessagePayload = {
      embeds: [{ title: 'T', description: '**1.** [a\\_b](https://example.org/x%20y)\n*（仅目录）*\n\\*not bold\\*' }],
      components: [],
      allowed_mentions: { parse: [] },
    }
    const text = renderText(payload)
    expect(text).toContain('1. a_b <https://example.org/x%20y>')
    expect(text).toContain('\n（仅目录）\n')
    expect(text).toContain('*not bold*')
    expect(text).not.toContain('**')
  })

  it('marks ephemeral replies as visible only to the asker', () => {
    expect(renderText(notice('hi'))).toBe('hi\n\n(only you can see this)')
  })
})
