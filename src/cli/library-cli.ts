import { ConfigError, loadLibraryConfig, type LibraryConfig } from '../config.js'
import type { Library } from '../library/library.js'
import { loadLibrary } from '../library/store.js'
import { fail } from './args.js'

export function libraryConfigOrExit(): LibraryConfig {
  try {
    return loadLibraryConfig()
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
}

/** The library for a command-line script; rebuilds (and says why on stderr) when the index is missing or stale. */
export async function openLibrary(config = libraryConfigOrExit()): Promise<Library> {
  const outcome = await loadLibrary(config)
  if (outcome.status === 'rebuilt') {
    const { corpus, elapsedMs } = outcome.report
    process.stderr.write(`index rebuilt (${outcome.reason}): ${corpus.passages.length} passages in ${Math.round(elapsedMs)} ms\n`)
    for (const w of corpus.warnings) process.stderr.write(`warning: ${w.file}: ${w.reason}\n`)
  }
  return outcome.library
}
