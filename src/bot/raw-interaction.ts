import type { APIEmbed } from 'discord-api-types/v10'
import type { OptionValue } from '../commands/types.js'
import { EPHEMERAL, type MessagePayload } from '../render/payload.js'
import { localeOf } from '../render/strings.js'
import type { Incoming, Response } from './dispatcher.js'

// An interaction as Discord POSTs it to the endpoint (API v10 JSON), reduced to what the dispatcher reads.
// The gateway adapter (discord.ts) gets the same fields from discord.js objects.

/** The fields of an interaction that the endpoint reads (Discord sends many more). */
export interface RawInteraction {
  id: string
  application_id: string
  type: number
  /** Only ever put in the URL of the deferred answer, never logged. */
  token: string
  locale?: string
  member?: { user: { id: string } }
  user?: { id: string }
  data?: { name?: string; options?: { name: string; value?: OptionValue; focused?: boolean }[]; custom_id?: string }
  message?: { id: string; embeds: APIEmbed[] }
}

/** Discord's interaction types and callback types (API v10) that the endpoint uses. */
export const InteractionType = { ping: 1, command: 2, component: 3, autocomplete: 4 } as const
export const CallbackType = { pong: 1, reply: 4, deferredReply: 5, update: 7, choices: 8 } as const

export type Parsed = { ok: true; interaction: RawInteraction } | { ok: false; problem: string }

type Json = Record<string, unknown>
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)
const isId = (x: unknown): x is string => typeof x === 'string' && /^\d{1,20}$/.test(x)
const isOptional = (x: unknown, check: (y: unknown) => boolean) => x === undefined || check(x)
const isString = (x: unknown) => typeof x === 'string'
const isOption = (x: unknown) =>
  isObject(x) && isString(x.name) && isOptional(x.value, (v) => ['string', 'number', 'boolean'].includes(typeof v)) && isOptional(x.focused, (f) => typeof f === 'boolean')

/**
 * Checks the fields the endpoint reads, by hand rather than with a schema library: this runs on every request,
 * and a schema library's import would add a tenth of a second to every replica's start.
 */
export function parseInteraction(json: unknown): Parsed {
  const problem = (what: string): Parsed => ({ ok: false, problem: `not an interaction: ${what}` })
  if (!isObject(json)) return problem('not an object')
  if (!isId(json.id) || !isId(json.application_id)) return problem('id or application_id is not a snowflake')
  if (!Number.isInteger(json.type)) return problem('type is not a number')
  // The token goes into a URL path: letters, digits and . _ - only.
  if (typeof json.token !== 'string' || !/^[\w.-]{1,500}$/.test(json.token)) return problem('bad token')
  if (!isOptional(json.locale, isString)) return problem('locale')
  const hasUser = (x: unknown) => isObject(x) && isId(x.id)
  if (!isOptional(json.user, hasUser) || !isOptional(json.member, (m) => isObject(m) && hasUser(m.user))) return problem('user')
  const data = json.data
  if (!isOptional(data, (d) => isObject(d) && isOptional(d.name, isString) && isOptional(d.custom_id, isString) && isOptional(d.options, (o) => Array.isArray(o) && o.every(isOption)))) {
    return problem('data')
  }
  if (!isOptional(json.message, (m) => isObject(m) && isId(m.id) && Array.isArray(m.embeds) && m.embeds.every(isObject))) return problem('message')
  return { ok: true, interaction: json as unknown as RawInteraction }
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
    const message = { embeds: interaction.message.embeds }
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
