import { LIMITS } from './limits.js'
import type { Choice, MessagePayload } from './payload.js'

/** Every way a message breaks Discord's limits or our no-ping rule; empty when it is fine. */
export function payloadViolations(payload: MessagePayload): string[] {
  const problems: string[] = []
  const over = (what: string, length: number, max: number) => length > max && problems.push(`${what} is ${length} > ${max}`)
  if (payload.allowed_mentions?.parse?.length !== 0) problems.push('allowed_mentions.parse is not empty')
  over('content', payload.content?.length ?? 0, LIMITS.content)
  if (!payload.content && payload.embeds.length === 0) problems.push('message has neither content nor embeds')
  over('embeds', payload.embeds.length, LIMITS.embedsPerMessage)
  let total = 0
  payload.embeds.forEach((embed, i) => {
    const title = embed.title?.length ?? 0
    const description = embed.description?.length ?? 0
    const footer = embed.footer?.text?.length ?? 0
    const author = embed.author?.name?.length ?? 0
    if (!title && !description && !(embed.fields?.length ?? 0)) problems.push(`embed ${i} is empty`)
    over(`embed ${i} title`, title, LIMITS.embedTitle)
    over(`embed ${i} description`, description, LIMITS.embedDescription)
    over(`embed ${i} footer`, footer, LIMITS.footerText)
    over(`embed ${i} author`, author, LIMITS.authorName)
    over(`embed ${i} fields`, embed.fields?.length ?? 0, LIMITS.embedFields)
    total += title + description + footer + author
    embed.fields?.forEach((field, j) => {
      over(`embed ${i} field ${j} name`, field.name.length, LIMITS.fieldName)
      over(`embed ${i} field ${j} value`, field.value.length, LIMITS.fieldValue)
      if (!field.value) problems.push(`embed ${i} field ${j} is empty`)
      total += field.name.length + field.value.length
    })
  })
  over('embeds in all', total, LIMITS.embedTotal)
  over('action rows', payload.components.length, LIMITS.actionRows)
  const ids = new Set<string>()
  payload.components.forEach((row, i) => {
    over(`row ${i} buttons`, row.components.length, LIMITS.buttonsPerRow)
    for (const b of row.components) {
      if ('label' in b) over(`button label "${b.label}"`, b.label?.length ?? 0, LIMITS.buttonLabel)
      if ('custom_id' in b) {
        over(`custom_id "${b.custom_id}"`, b.custom_id.length, LIMITS.customId)
        if (ids.has(b.custom_id)) problems.push(`custom_id "${b.custom_id}" is used twice`)
        ids.add(b.custom_id)
      }
    }
  })
  return problems
}

export function choiceViolations(choices: readonly Choice[]): string[] {
  const problems: string[] = []
  if (choices.length > LIMITS.autocompleteChoices) problems.push(`${choices.length} choices > ${LIMITS.autocompleteChoices}`)
  for (const c of choices) {
    if (c.name.length < 1 || c.name.length > LIMITS.choiceName) problems.push(`choice name "${c.name}" has length ${c.name.length}`)
    if (c.value.length < 1 || c.value.length > LIMITS.choiceValue) problems.push(`choice value "${c.value}" has length ${c.value.length}`)
  }
  return problems
}
