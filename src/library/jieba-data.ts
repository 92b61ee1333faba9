import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const jiebaDir = path.dirname(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.js'))

/**
 * One of the data files @node-rs/jieba ships: its dictionary, or its IDF table. Read here rather than through
 * `@node-rs/jieba/dict`, whose module keeps both (11 MB) in memory for good; each is needed once, at start-up.
 */
export function jiebaFile(name: 'dict.txt' | 'idf.txt'): Buffer {
  return readFileSync(path.join(jiebaDir, name))
}
