import { createRequire } from 'node:module'
import pino, { type DestinationStream, type Logger } from 'pino'
import type PinoPretty from 'pino-pretty'
import type { LogLevel } from './config.js'

/** pino-pretty is loaded only for a terminal: a server writes JSON lines, and need not carry it (3 MB). */
const pretty = (options: PinoPretty.PrettyOptions) => (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty)(options)

/** Paths that may carry the bot token; pino replaces them before anything is written. */
const REDACT = ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'headers.authorization', '*.headers.authorization', 'config.token']

/**
 * Interaction and webhook tokens inside REST URLs (`/interactions/<id>/<token>/callback`,
 * `/webhooks/<application>/<token>/…`): each lets its holder edit the reply for 15 minutes. A failed callback's
 * error carries its URL, wherever in the logged object that is, so they are replaced in the written line.
 */
const URL_TOKEN = /\b((?:interactions|webhooks)\/\d+\/)[^/\s"'?#\\]+/g

export function redactUrlTokens(line: string): string {
  return line.replace(URL_TOKEN, '$1[redacted]')
}

/**
 * Logs go to stderr (or `destination`), so standard output stays free for replies (console mode, `--json`):
 * JSON lines for machines, readable lines when stderr is a terminal. Redaction applies before either.
 */
export function createLogger(level: LogLevel = 'info', terminal = Boolean(process.stderr.isTTY), destination?: DestinationStream): Logger {
  const out: DestinationStream =
    destination ?? (terminal ? pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss' }) : pino.destination({ dest: 2, sync: true }))
  const redacted: DestinationStream = { write: (line: string) => out.write(redactUrlTokens(line)) }
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, redacted)
}
