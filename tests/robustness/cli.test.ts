// Start-up and command-line mistakes: each ends in one line that names the problem and exit code 2, with no
// stack trace, however the script or the bot was started. The processes run side by side to keep this cheap.
import { createServer as createHttpServer, type Server } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/config.js'
import { run, type Finished } from '../fetch/support/run.js'
import { removeTempDirs, seedCorpusWith, tempDir } from '../library/helpers.js'

const tsx = (script: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script), ...args], { LOG_LEVEL: 'info', DISCORD_TOKEN: '', SHARD_COUNT: '', HTTP_PORT: '', ...env })

let results: Record<string, Finished>
let heldPort: number
let dir: string
const servers: Server[] = []

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

beforeAll(async () => {
  dir = await tempDir('robust-cli')
  const corpus = await seedCorpusWith('robust-cli-corpus')
  const indexFolder = path.join(dir, 'index-folder')
  await mkdir(indexFolder)
  const notAFolder = path.join(dir, 'out-is-a-file')
  await writeFile(notAFolder, 'x')
  // A port something else holds, and a Discord that rejects every token.
  const holder = createHttpServer()
  servers.push(holder)
  heldPort = await listen(holder)
  const discord = createHttpServer((_, response) => response.writeHead(401, { 'content-type': 'application/json' }).end('{"message": "401: Unauthorized", "code": 0}'))
  servers.push(discord)
  const discordPort = await listen(discord)
  const index = (name: string) => path.join(dir, `${name}.jsonl`)
  const entries = await Promise.all([
    tsx('scripts/index.ts', [], { CORPUS_DIR: path.join(dir, 'no-such-corpus'), INDEX_PATH: index('a') }),
    tsx('src/main.ts', [], { CORPUS_DIR: path.join(dir, 'no-such-corpus'), INDEX_PATH: index('b') }),
    tsx('scripts/ask.ts', ['Pod'], { CORPUS_DIR: corpus, INDEX_PATH: indexFolder }),
    tsx('scripts/fetch-course.ts', ['--out', notAFolder, '--dry-run'], { CORPUS_DIR: corpus }),
    tsx('src/main.ts', [], { CORPUS_DIR: corpus, INDEX_PATH: index('c'), HTTP_PORT: String(heldPort), HTTP_HOST: '127.0.0.1' }),
    tsx('src/main.ts', [], {
      CORPUS_DIR: corpus,
      INDEX_PATH: index('d'),
      DISCORD_TOKEN: 'not-a-valid-token',
      DISCORD_API_URL: `http://127.0.0.1:${discordPort}/api`,
      SHARD_COUNT: '2',
    }),
  ])
  results = Object.fromEntries(['index-no-corpus', 'start-no-corpus', 'ask-index-folder', 'fetch-out-file', 'start-port-in-use', 'shards-bad-token'].map((k, i) => [k, entries[i]!]))
}, 90_000)

afterAll(async () => {
  for (const server of servers) server.close()
  await removeTempDirs()
})

/** Its standard error, less pino's JSON log lines: what a person reads. */
function problemLines(result: Finished): string[] {
  return result.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'))
}

describe('one line naming the problem, exit 2, no stack trace', () => {
  it.each([
    ['index-no-corpus', /^CORPUS_DIR: .*no-such-corpus does not exist; point CORPUS_DIR at the folder holding the course pages$/],
    ['start-no-corpus', /^CORPUS_DIR: .*no-such-corpus does not exist; point CORPUS_DIR at the folder holding the course pages$/],
    ['ask-index-folder', /^INDEX_PATH: .*index-folder is a folder; set INDEX_PATH to a file in it, e\.g\. .*index-folder\/library\.idx$/],
    ['fetch-out-file', /^--out: .*out-is-a-file is not a folder; give the corpus folder to save into/],
    ['start-port-in-use', /^HTTP_PORT: port \d+ on 127\.0\.0\.1 is already in use; stop what holds it or set HTTP_PORT to a free port$/],
  ])('%s', (name, line) => {
    const result = results[name]!
    expect(result.code, result.stderr).toBe(2)
    expect(problemLines(result)).toEqual([expect.stringMatching(line)])
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('SHARD_COUNT=2 with a token Discord rejects: the shard says why, the manager ends in one line', () => {
    const result = results['shards-bad-token']!
    expect(result.code, result.stderr).toBe(2)
    const lines = problemLines(result)
    expect(lines.at(-1)).toMatch(/^SHARD_COUNT=2: shard 0 exited before it was ready \(see its log line; usually DISCORD_TOKEN is invalid\)$/)
    expect(lines.slice(0, -1)).toEqual([expect.stringMatching(/^DISCORD_TOKEN: Discord rejected the token/)])
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stderr).not.toContain('not-a-valid-token')
  })
})
