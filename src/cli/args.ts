import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Parse a script's options; a bad one prints the problem and the usage, then exits 2. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(options: T, usage: string, args = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`)
    process.exit(2)
  }
}

/** Print a one-line failure and exit 2: for settings and arguments the user must fix. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}
