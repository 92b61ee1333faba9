import type { APIEmbed } from 'discord-api-types/v10'
import { z } from 'zod'
import type { OptionValue } from '../commands/types.js'
import { EPHEMERAL, type MessagePayload } from '../render/payload.js'
import { localeOf } from '../render/strings.js'
import type { Incoming, Response } from './dispatcher.js'

// An interaction as Discord POSTs it to the endpoint (API v10 JSON), reduced to what the dispatcher reads.
// The gateway adapter (discord.ts) gets the same fields from discord.js objects.

const option = z.object({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  focused: z.boolean().optional(),
})

const user = z.object({ id: z.string() })

const interactionSchema = z.object({
  id: z.string(),
  application_id: z.string().regex(/^\d{17,20}$/),
  type: z.number().int(),
  // An interaction token: only ever put in the URL of the deferred answer, never logged.
  token: z.string().regex(/^[\w.-]{1,500}$/),
  locale: z.string().optional(),
  member: z.object({ user }).optional(),
  user: user.optional(),
  data: z
    .object({
      name: z.string().optional(),
      options: z.array(option).optional(),
      custom_id: z.string().optional(),
    })
    .optional(),
  message: z.object({ id: z.string(), embeds: z.array(z.record(z.string(), z.unknown())) }).optional(),
})

export type RawInteraction = z.infer<typeof interactionSchema>

/** Discord's interaction types and callback types (API v10) that the endpoint uses. */
export const InteractionType = { ping: 1, command: 2, component: 3, autocomplete: 4 } as const
export const CallbackType = { pong: 1, reply: 4, deferredReply: 5, update: 7, choices: 8 } as const

export type Parsed = { ok: true; interaction: RawInteraction } | { ok: false; problem: string }

export function parseInteraction(json: unknown): Parsed {
  const result = interactionSchema.safeParse(json)
  if (!result.success) return { ok: false, problem: `not an interaction: ${result.error.issues[0]?.path.join('.') || 'body'} ${result.error.issues[0]?.message ?? ''}`.trim() }
  return { ok: true, interaction: result.data }
}

/** The interaction as the dispatcher takes it, or undefined for a type it does not serve (PING is the endpoint's). */
export function toIncoming(interaction: RawInteraction): Incoming | undefined {
  const userId = interaction.member?.user.id ?? interaction.user?.id ?? ''
  const locale = localeOf(interaction.locale)
  const data = interaction.data
  const options = Object.fromEntries((data?.options ?? []).map((o) => [o.name, o.value as OptionValue | undefined]))
  if (interaction.type === InteractionType.command && data?.name) return { type: 'command', name: data.name, options, userId, locale }
  if (interaction.type === InteractionType.autocomplete && data?.name) {
    const focused = data.options?.find((o) => o.focused)
    return { type: 'autocomplete', name: data.name, focused: focused?.name ?? '', value: String(focused?.value ?? ''), options, userId, locale }
  }
  if (interaction.type === InteractionType.component && data?.custom_id && interaction.message) {
    const message = { embeds: interaction.message.embeds as APIEmbed[] }
    return { type: 'button', customId: data.custom_id, message, messageId: interaction.message.id, userId, locale }
  }
  return undefined
}

/** A message as the API takes it; allowed mentions stay empty whatever the payload says. */
export function messageBody(payload: MessagePayload, { update = false } = {}): Record<string, unknown> {
  return {
    // An update replaces the whole message: no content means none, not "keep the old".
    ...(payload.content !== undefined ? { content: payload.content } : update ? { content: '' } : {}),
    embeds: payload.embeds,
    components: payload.components,
    allowed_mentions: { parse: [] },
    // Flags are set when a message is created; an edit or update keeps them.
    ...(payload.flags && !update ? { flags: payload.flags } : {}),
  }
}

/** The HTTP response body for the dispatcher's response (the same replies the gateway mode sends). */
export function callbackBody(response: Response): Record<string, unknown> {
  if (response.type === 'choices') return { type: CallbackType.choices, data: { choices: response.choices } }
  if (response.type === 'update') return { type: CallbackType.update, data: messageBody(response.payload, { update: true }) }
  return { type: CallbackType.reply, data: messageBody(response.payload) }
}

/** The "thinking…" answer of a deferred command: private when the user asked for a private answer. */
export function deferredBody(incoming: Incoming): Record<string, unknown> {
  const ephemeral = incoming.type === 'command' && incoming.options.private === true
  return { type: CallbackType.deferredReply, data: ephemeral ? { flags: EPHEMERAL } : {} }
}
