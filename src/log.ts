import pino, { type Logger } from 'pino'
import pretty from 'pino-pretty'
import type { LogLevel } from './config.js'

/** Paths that may carry the bot token; pino replaces them before anything is written. */
const REDACT = ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'headers.authorization', '*.headers.authorization', 'config.token']

/**
 * Logs go to stderr, so standard output stays free for replies (console mode, `--json`): JSON lines for
 * machines, readable lines when stderr is a terminal. Redaction applies before either.
 */
export function createLogger(level: LogLevel = 'info', terminal = Boolean(process.stderr.isTTY)): Logger {
  const destination = terminal ? pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss' }) : pino.destination({ dest: 2, sync: true })
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination)
}
