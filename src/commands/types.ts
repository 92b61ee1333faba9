import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10'
import type { Library } from '../library/library.js'
import type { Choice, MessagePayload } from '../render/payload.js'
import type { Locale } from '../render/strings.js'

export type OptionValue = string | number | boolean

/** A slash command as typed, whatever adapter (Discord, console) it came from. */
export interface CommandInput {
  options: Readonly<Record<string, OptionValue | undefined>>
}

export interface AutocompleteInput {
  /** The option being typed, and what has been typed so far. */
  focused: string
  value: string
  options: Readonly<Record<string, OptionValue | undefined>>
}

/** A click: the button's custom_id and the message it sits on (which carries state such as the question). */
export interface ButtonInput {
  customId: string
  message: Pick<MessagePayload, 'embeds'>
}

export interface FeedbackEvent {
  vote: 'up' | 'down'
  query: string
  passageIds: string[]
}

/** What a click does: replace the message it sits on, answer with a new message, or record feedback. */
export type ButtonOutcome =
  | { kind: 'update'; payload: MessagePayload }
  | { kind: 'reply'; payload: MessagePayload }
  | { kind: 'feedback'; feedback: FeedbackEvent }

/**
 * One command: its definition is data (the deploy script registers it, the dispatcher routes by it) and its
 * handlers are pure functions of the input, the library and the user's locale.
 */
export interface Command {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody
  run(input: CommandInput, library: Library, locale: Locale): MessagePayload
  autocomplete?(input: AutocompleteInput, library: Library, locale: Locale): Choice[]
  /** The dispatcher limits it per user (ASK_COOLDOWN_*): commands that search. */
  cooldown?: boolean
  /**
   * The option that plain text after the command's name fills in the console ("/ask 为什么…" → question);
   * `number`: read as a number when it is one; `suggest`: the console's "?text" autocompletes this option.
   */
  mainOption?: { name: string; number?: boolean; suggest?: boolean }
  /** A reply of this command without buttons found nothing: counted as 'empty', not 'answered'. */
  emptyWithoutButtons?: boolean
  /** custom_id prefix of this command's buttons, e.g. "toc". */
  buttonPrefix?: string
  button?(input: ButtonInput, library: Library, locale: Locale): ButtonOutcome
}
