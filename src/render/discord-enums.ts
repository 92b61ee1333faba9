import type { ApplicationCommandOptionType, ButtonStyle as Style, ComponentType as Type } from 'discord-api-types/payloads/v10'

// Discord's numbers for what the bot sends, each checked by the compiler against discord-api-types' own enums
// (`satisfies`), which are imported as types only: at run time their module is 27 files and 4 MB at every start,
// for these seven numbers.

export const OptionType = {
  String: 3 satisfies ApplicationCommandOptionType.String,
  Integer: 4 satisfies ApplicationCommandOptionType.Integer,
  Boolean: 5 satisfies ApplicationCommandOptionType.Boolean,
} as const

export const ComponentType = {
  ActionRow: 1 satisfies Type.ActionRow,
  Button: 2 satisfies Type.Button,
} as const

export const ButtonStyle = {
  Primary: 1 satisfies Style.Primary,
  Secondary: 2 satisfies Style.Secondary,
} as const
export type ButtonStyle = (typeof ButtonStyle)[keyof typeof ButtonStyle]
