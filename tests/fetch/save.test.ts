import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchCourse } from '../../src/fetch/fetch-course.js'
import { saveAtomic } from '../../src/fetch/save.js'
import { buildSite, FAST_HTTP, listFiles, makeTempCorpus, markerOf, readSeed, SHANGSHOU, SHANGSHOU_SEED, startSite } from './support/site.js'

// A write that dies halfway (disk full, process killed): the real writeFile writes the first half of the
// data, then fails. Only writes whose path matches `control.failOn` are broken.
const control = vi.hoisted(() => ({ failOn: undefined as RegExp | undefined }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  const writeFile: typeof real.writeFile = async (file, data, options) => {
    if (!control.failOn?.test(String(file))) return real.writeFile(file, data, options)
    await real.writeFile(file, String(data).slice(0, String(data).length / 2), options)
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  }
  return { ...real, writeFile, default: { ...real, writeFile } }
})

const temps: string[] = []
afterEach(() => {
  control.failOn = undefined
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fetch-save-'))
  temps.push(dir)
  return dir
}

describe('saveAtomic', () => {
  it('writes a new file and replaces an old one, leaving no temporary file', async () => {
    const root = tempDir()
    await saveAtomic(root, 'fetched/c/01-a.html', 'first')
    await saveAtomic(root, 'fetched/c/01-a.html', 'second')
    expect(readFileSync(path.join(root, 'fetched/c/01-a.html'), 'utf8')).toBe('second')
    expect(listFiles(root)).toEqual(['fetched/c/01-a.html'])
  })

  it('after a write that dies halfway, leaves neither a partial file nor a temporary one', async () => {
    const root = tempDir()
    control.failOn = /01-a\.html/
    await expect(saveAtomic(root, 'fetched/c/01-a.html', 'x'.repeat(10_000))).rejects.toThrow('ENOSPC')
    expect(listFiles(root)).toEqual([])
  })

  it('after a write that dies halfway, keeps the previous version intact', async () => {
    const root = tempDir()
    await saveAtomic(root, 'fetched/c/01-a.html', 'complete old version')
    control.failOn = /01-a\.html/
    await expect(saveAtomic(root, 'fetched/c/01-a.html', 'new version '.repeat(1000))).rejects.toThrow('ENOSPC')
    expect(readFileSync(path.join(root, 'fetched/c/01-a.html'), 'utf8')).toBe('complete old version')
    expect(listFiles(root)).toEqual(['fetched/c/01-a.html'])
  })

  it('refuses paths that leave the root, also through a symlinked folder', async () => {
    const base = tempDir()
    const root = path.join(base, 'out')
    const outside = path.join(base, 'outside')
    mkdirSync(root)
    mkdirSync(outside)
    await expect(saveAtomic(root, '../escaped.html', 'x')).rejects.toThrow(/outside/)
    symlinkSync(outside, path.join(root, 'fetched'))
    await expect(saveAtomic(root, 'fetched/c/01-a.html', 'x')).rejects.toThrow(/resolves outside/)
    expect(existsSync(path.join(base, 'escaped.html'))).toBe(false)
    expect(listFiles(outside)).toEqual([])
  })
})

describe('fetchCourse with a write that dies halfway', () => {
  it('reports the chapter, keeps its previous complete file, and saves the others', async () => {
    const seed = readSeed(SHANGSHOU_SEED)
    const site = buildSite([seed])
    const server = await startSite(site.pages)
    const corpus = makeTempCorpus({ [SHANGSHOU_SEED]: seed })
    temps.push(corpus.root)
    try {
      const options = { baseUrl: server.url, outDir: corpus.out, concurrency: 2, delayMs: 0, force: false, dryRun: false, http: FAST_HTTP }
      const first = await fetchCourse({ ...options, course: SHANGSHOU })
      expect(first.fetched).toHaveLength(23)
      const victim = first.fetched.find((j) => j.entry.position === 5)!
      const before = readFileSync(path.join(corpus.out, victim.file), 'utf8')
      writeFileSync(path.join(corpus.out, victim.file), before.replace(markerOf(victim.entry), 'old-copy'))
      const old = readFileSync(path.join(corpus.out, victim.file), 'utf8')

      control.failOn = /05-/
      const forced = await fetchCourse({ ...options, course: SHANGSHOU, force: true })
      expect(forced.failed.map((f) => [f.job.file, f.reason])).toEqual([[victim.file, 'ENOSPC: no space left on device, write']])
      expect(forced.fetched).toHaveLength(22)
      expect(readFileSync(path.join(corpus.out, victim.file), 'utf8')).toBe(old)
      expect(listFiles(corpus.out).filter((f) => f.endsWith('.tmp'))).toEqual([])
    } finally {
      await server.close()
    }
  })
})
