// The bot's V8 flags: the same in `npm start`, the Dockerfile (tests/ops/dockerfile.test.ts) and the benchmarks,
// accepted by this Node, and doing what they are there for.
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { NODE_FLAGS } from '../../src/ops/node-flags.js'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

/** The young generation's committed size after 40 MB of objects that all survive, in MB. */
function youngGenerationMb(flags: readonly string[]): number {
  const script = "const v8 = require('node:v8'); const kept = []; for (let i = 0; i < 1e6; i++) kept.push({ i, s: 'x' + i }); console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20)"
  return Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' }))
}

describe("the bot's V8 flags", () => {
  it('are the ones npm start runs with', async () => {
    const scripts = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts.start).toBe(['node', ...NODE_FLAGS, '--import', 'tsx', 'src/main.ts'].join(' '))
  })

  it('keep the young generation from growing to its default maximum while long-lived data is loaded', () => {
    const capped = youngGenerationMb(NODE_FLAGS)
    const uncapped = youngGenerationMb([])
    expect(capped).toBeGreaterThan(0)
    expect(capped).toBeLessThanOrEqual(17)
    expect(uncapped).toBeGreaterThan(capped)
  })
})
