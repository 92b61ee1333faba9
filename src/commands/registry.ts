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
