import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIApplicationCommandOptionChoice } from 'discord-api-types/v10'

/** Ephemeral: only the asking user sees the message. */
export const EPHEMERAL = 64

/** A message as Discord's API takes it: what the bot replies, and what `--json` prints. */
export interface MessagePayload {
  content?: string
  embeds: APIEmbed[]
  components: APIActionRowComponent<APIButtonComponent>[]
  flags?: number
  /** Always empty: the bot never pings anyone, whatever the question or the corpus contains. */
  allowed_mentions: { parse: [] }
}

export type Choice = APIApplicationCommandOptionChoice<string>
