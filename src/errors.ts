/**
 * A problem the operator or user must fix (a setting, a path, a port): reported as one line that names it,
 * with exit code 2 and no stack trace.
 */
export class KnownError extends Error {}

/** Errors from the filesystem and the network that name what failed (a path, an address) are the operator's to fix. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | null
  return e instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string' && (typeof e.path === 'string' || 'address' in e || 'port' in e)
}

export interface ErrorReport {
  /** 2 for a known error, 1 for a bug or the unexpected. */
  exitCode: 1 | 2
  /** One line; with `withStack`, the stack follows it. */
  text: string
}

/** How the one top-level error path reports an error: see `exitOnError`. */
export function reportError(error: unknown, withStack: boolean): ErrorReport {
  const message = error instanceof Error ? error.message : String(error)
  const line = message.split('\n')[0]!.trim() || (error instanceof Error ? error.name : 'unknown error')
  if (error instanceof KnownError || isSystemError(error)) return { exitCode: 2, text: line }
  const stack = withStack && error instanceof Error && error.stack ? `\n${error.stack}` : ''
  return { exitCode: 1, text: `unexpected error: ${line}${stack}` }
}

/** Print an error as `reportError` says and exit. The stack only at LOG_LEVEL=debug (or trace). */
export function exitOnError(error: unknown): never {
  const withStack = /^(debug|trace)$/i.test(process.env.LOG_LEVEL?.trim() ?? '')
  const { exitCode, text } = reportError(error, withStack)
  process.stderr.write(`${text}\n`)
  process.exit(exitCode)
}
