import type { MessagePayload } from './payload.js'

/**
 * Discord markdown made for a terminal: links become "text <url>" (the URL left encoded, so a terminal can
 * open it), bold and italic markers go, and escapes and zero-width spaces mean nothing there.
 */
function plain(text: string): string {
  return text
    .replace(/\[((?:\\.|[^\]\\])+)\]\((\S+?)\)/g, (_, label: string, url: string) => `${label} <${url}>`)
    .replace(/\*\*/g, '')
    .replace(/^\*(.+)\*$/gm, '$1')
    .replace(/\\([\\*_~`|>#\-[\]().!+=])/g, '$1')
    .replace(/\u200b/g, '')
}

/** A message as terminal text, with its buttons as numbered actions ("[1] ➡️ 更多结果"). */
export function renderText(payload: MessagePayload): string {
  const lines: string[] = []
  if (payload.content) lines.push(plain(payload.content))
  for (const embed of payload.embeds) {
    if (embed.title) lines.push(`== ${plain(embed.title)} ==${embed.url ? `\n${embed.url}` : ''}`)
    if (embed.description) lines.push(plain(embed.description))
    for (const field of embed.fields ?? []) lines.push(`-- ${plain(field.name)}\n${plain(field.value)}`)
    if (embed.footer?.text) lines.push(`(${embed.footer.text})`)
  }
  const buttons = payload.components.flatMap((row) => row.components)
  if (buttons.length > 0) {
    lines.push(
      buttons
        .map((b, i) => {
          const label = `${'emoji' in b && b.emoji?.name ? `${b.emoji.name} ` : ''}${'label' in b ? (b.label ?? '') : ''}`
          return b.disabled ? `[-] ${label}` : `[${i + 1}] ${label}`
        })
        .join('  '),
    )
  }
  if (payload.flags) lines.push('(only you can see this)')
  return lines.join('\n\n')
}
