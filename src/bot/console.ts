import { createInterface } from 'node:readline'
import type { Logger } from 'pino'
import { commandNamed, OPTION_NAMES, suggestingCommand } from '../commands/registry.js'
import type { OptionValue } from '../commands/types.js'
import type { MessagePayload } from '../render/payload.js'
import type { Locale } from '../render/strings.js'
import { renderText } from '../render/text.js'
import type { Dispatcher, Incoming } from './dispatcher.js'

/** The console user: one local user, so the /ask cooldown applies as it would on Discord. */
const CONSOLE_USER = 'console'

export const CONSOLE_HELP = `Console mode (no DISCORD_TOKEN set). Type a command:
  /ask 为什么需要 Pod [course:深入剖析] [private:true]
  /toc [page] [course:上手]
  /chapter 13 [course:深入剖析]
  /help
A number presses that button of the last reply; "quit" or Ctrl-D exits.`

const OPTION_AT_END = new RegExp(`\\s*(?:^|\\s)(${OPTION_NAMES.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}):(\\S+)\\s*$`)

/** "course:深入 private:true" at the end of a line become options; the rest is the main argument. */
function parseLine(line: string): { name: string; rest: string; options: Record<string, OptionValue> } | undefined {
  const match = /^\/(\S+)\s*(.*)$/.exec(line.trim())
  if (!match) return undefined
  const options: Record<string, OptionValue> = {}
  let rest = match[2] ?? ''
  for (;;) {
    const option = OPTION_AT_END.exec(rest)
    if (!option) break
    options[option[1]!] = option[2] === 'true' ? true : option[2] === 'false' ? false : option[2]!
    rest = rest.slice(0, option.index)
  }
  return { name: match[1]!.toLowerCase(), rest: rest.trim(), options }
}

function commandInput(name: string, rest: string, options: Record<string, OptionValue>): Record<string, OptionValue> {
  const main = commandNamed(name)?.mainOption
  if (!main || !rest) return options
  return { ...options, [main.name]: main.number ? Number(rest) || rest : rest }
}

export interface ConsoleOptions {
  dispatcher: Dispatcher
  logger: Logger
  json: boolean
  locale: Locale
  input?: NodeJS.ReadableStream
  output?: NodeJS.WritableStream
}

/**
 * Runs the commands typed or piped on standard input and prints each reply: as text, or with `json` as the
 * Discord message payload on one line. Resolves at end of input.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const input = options.input ?? process.stdin
  const output = options.output ?? process.stdout
  const interactive = 'isTTY' in input && Boolean((input as NodeJS.ReadStream).isTTY)
  const print = (text: string) => output.write(`${text}\n`)
  const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity })
  let last: { payload: MessagePayload; id: string } | undefined
  let messages = 0

  const show = (payload: MessagePayload) => {
    // Buttons act on the last message that has them; a notice (a thank-you, an error) does not replace it.
    if (payload.components.length > 0) last = { payload, id: `console-${++messages}` }
    print(options.json ? JSON.stringify(payload) : `${renderText(payload)}\n`)
  }
  const send = (incoming: Incoming) => {
    const response = options.dispatcher.dispatch(incoming)
    if (response.type === 'choices') print(options.json ? JSON.stringify(response.choices) : response.choices.map((c) => `• ${c.name}`).join('\n'))
    else show(response.payload)
  }

  if (interactive) {
    print(CONSOLE_HELP)
    lines.setPrompt('> ')
    lines.prompt()
  }
  for await (const raw of lines) {
    const line = raw.trim()
    if (line === 'quit' || line === 'exit') break
    if (/^\d+$/.test(line)) {
      const buttons = last?.payload.components.flatMap((r) => r.components) ?? []
      const pressed = buttons[Number(line) - 1]
      if (last && pressed && 'custom_id' in pressed && !pressed.disabled) {
        send({ type: 'button', customId: pressed.custom_id, message: last.payload, messageId: last.id, userId: CONSOLE_USER, locale: options.locale })
      } else print(`No button ${line} on the last reply.`)
    } else if (line.startsWith('?')) {
      // "?pod" lists what autocomplete would suggest for a question starting with "pod".
      const command = suggestingCommand()
      if (command) send({ type: 'autocomplete', name: command.definition.name, focused: command.mainOption!.name, value: line.slice(1).trim(), options: {}, userId: CONSOLE_USER, locale: options.locale })
    } else if (line) {
      const parsed = parseLine(line)
      if (!parsed) print(`Commands start with "/": try /help.`)
      else send({ type: 'command', name: parsed.name, options: commandInput(parsed.name, parsed.rest, parsed.options), userId: CONSOLE_USER, locale: options.locale })
    }
    if (interactive) lines.prompt()
  }
  lines.close()
}
