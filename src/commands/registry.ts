import { ask } from './ask.js'
import { chapter } from './chapter.js'
import { help } from './help.js'
import { toc } from './toc.js'
import type { Command } from './types.js'

/** Every command. The deploy script registers these definitions; the dispatchers route by the same list. */
export const COMMANDS: readonly Command[] = [ask, toc, chapter, help]

export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.definition.name === name)
}

export function commandForButton(customId: string): Command | undefined {
  const prefix = customId.split(':')[0]
  return COMMANDS.find((c) => c.buttonPrefix === prefix)
}

/** Every option name of every command, for adapters that parse "name:value" themselves (the console). */
export const OPTION_NAMES: readonly string[] = [...new Set(COMMANDS.flatMap((c) => (c.definition.options ?? []).map((o) => o.name)))]

/** The command whose main option the console's "?text" autocompletes. */
export function suggestingCommand(): Command | undefined {
  return COMMANDS.find((c) => c.mainOption?.suggest && c.autocomplete)
}
