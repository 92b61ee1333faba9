import pino, { type Logger } from 'pino'
import type { LogLevel } from './config.js'

/** Paths that may carry the bot token; pino replaces them before anything is written. */
const REDACT = ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'headers.authorization', '*.headers.authorization', 'config.token']

/** JSON lines to stderr, so standard output stays free for replies (console mode, `--json`). */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination({ dest: 2, sync: true }))
}
