// The image's start command, outside Docker (no engine on our machines). The test plays the
// Dockerfile on a clean temporary folder: it copies what the build stage's COPY lines copy (from
// the build context, minus .dockerignore), runs the build stage's RUN lines, assembles the runtime
// stage from its COPY lines, then starts the runtime stage's CMD with its ENV and checks
// /healthz, /metrics, the HEALTHCHECK command, the index built at build time, and SIGTERM.
//
// The one liberty: `npm ci` is not run (it would download the whole tree: slow, and needs the
// network). node_modules is a symlink to this checkout's node_modules instead, in the build stage
// and in the runtime stage alike, so the runtime has dev dependencies too: a missing production
// dependency would not be caught here (package.json's dependencies are the contract).
import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NODE_FLAGS } from '../../src/ops/node-flags.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const QUESTION = '/ask 为什么需要 Pod\n'

interface Stage {
  name: string
  instructions: Instruction[]
}

/** Build stages in order, each with its instructions after FROM. Parsed with dockerfile-ast, the parser dockerfile-utils lints with. */
function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = []
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue())
      stages.push({ name: args[2] ?? String(stages.length), instructions: [] })
    } else stages.at(-1)?.instructions.push(instruction)
  }
  return stages
}

const argsOf = (i: Instruction) => i.getArguments().map((a) => a.getValue())
const flagOf = (i: Instruction, name: string) =>
  'getFlags' in i ? (i as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags().find((f) => f.getName() === name)?.getValue() ?? undefined : undefined
/** The exec form of CMD / HEALTHCHECK CMD: a JSON array after the keyword. */
function execForm(i: Instruction): string[] {
  const content = i.getArgumentsContent() ?? ''
  const json = content.slice(content.indexOf('['))
  return JSON.parse(json) as string[]
}

/** .dockerignore: Go filepath.Match-style patterns relative to the context root; later lines win, `!` re-includes. */
function dockerignore(text: string): (rel: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!')
      const pattern = path.posix.normalize(l.replace(/^!/, '').replace(/^\/+/, ''))
      const source = pattern
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) => (part === '**/' || part === '**' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('')
      return { negate, re: new RegExp(`^${source}$`) }
    })
  return (rel) => {
    // A path is excluded when it, or a folder above it, matches.
    const prefixes = rel.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))
    let excluded = false
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.negate
    return excluded
  }
}

/** Image layers keep whole-second modification times (moby/containerd tar writers truncate them). */
async function truncateMtimes(target: string): Promise<void> {
  const info = await stat(target)
  if (info.isDirectory()) for (const entry of await readdir(target)) await truncateMtimes(path.join(target, entry))
  const seconds = Math.floor(info.mtimeMs / 1000)
  await utimes(target, seconds, seconds)
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`RUN ${command} exited ${code}:\n${output}`))))
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function poll<T>(what: string, attempt: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await attempt()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode })
    else child.once('exit', (code, signal) => resolve({ code, signal }))
  })
}

/** A clean environment: nothing from the developer's shell or .env leaks in (no token: console mode). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra }
}

const dockerfileText = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8')
const stages = stagesOf(dockerfileText)
const runtime = stages.at(-1)!

let tmp: string
const dirOf = new Map<string, string>()
let runtimeEnv: Record<string, string>
let cmd: string[]
let healthcheck: string[]

/** Where a path of a stage's filesystem (WORKDIR /app) lives in the simulation. */
const hostPath = (stage: string, imagePath: string) => path.join(dirOf.get(stage)!, path.posix.relative('/app', path.posix.resolve('/app', imagePath)))

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'coursebot-image-'))
  const ignored = dockerignore(await readFile(path.join(ROOT, '.dockerignore'), 'utf8'))
  const fromContext = (rel: string) => !ignored(path.relative(ROOT, rel).split(path.sep).join('/'))

  for (const stage of stages) {
    const dir = path.join(tmp, stage.name)
    await mkdir(dir, { recursive: true })
    dirOf.set(stage.name, dir)
    const env: Record<string, string> = {}
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword()
      if (keyword === 'WORKDIR') expect(argsOf(instruction)).toEqual(['/app'])
      else if (keyword === 'ENV') {
        for (const p of (instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties()) env[p.getName()] = p.getValue() ?? ''
      } else if (keyword === 'COPY') {
        const args = argsOf(instruction)
        const dest = args.pop()!
        const from = flagOf(instruction, 'from')
        for (const source of args) {
          const src = from ? hostPath(from, source) : path.join(ROOT, source)
          const target = (await stat(src)).isDirectory() || !dest.endsWith('/') ? hostPath(stage.name, dest) : path.join(hostPath(stage.name, dest), path.basename(source))
          if (from && path.basename(src) === 'node_modules') {
            // The deps stage's `npm ci --omit=dev`, standing in: see the comment at the top.
            await symlink(path.join(ROOT, 'node_modules'), target, 'dir')
            continue
          }
          await mkdir(path.dirname(target), { recursive: true })
          await cp(src, target, { recursive: true, preserveTimestamps: true, filter: from ? undefined : fromContext })
          if (from) await truncateMtimes(target)
        }
      } else if (keyword === 'RUN') {
        const command = instruction.getArgumentsContent()!
        if (/^npm ci\b/.test(command)) {
          // See the comment at the top: this checkout's node_modules stands in for `npm ci`.
          await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir').catch(() => undefined)
          continue
        }
        await run(command, dir, cleanEnv(env))
      } else if (keyword === 'CMD') cmd = execForm(instruction)
      else if (keyword === 'HEALTHCHECK') healthcheck = execForm(instruction)
    }
    if (stage === runtime) runtimeEnv = env
  }
}, 120_000)

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

interface Started {
  child: ChildProcess
  port: number
  stdout: () => string
  stderr: () => string
}

/** The runtime stage's CMD, from its WORKDIR, with its ENV; HTTP_PORT on a free port so tests can run side by side. */
async function startImage(): Promise<Started> {
  const port = await freePort()
  const [command, ...args] = cmd
  const child = spawn(command === 'node' ? process.execPath : command!, args, {
    cwd: dirOf.get(runtime.name),
    env: cleanEnv({ ...runtimeEnv, HTTP_PORT: String(port) }),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (err += d))
  return { child, port, stdout: () => out, stderr: () => err }
}

async function get(port: number, route: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`)
  return { status: response.status, body: await response.text() }
}

function healthcheckExit(port: number): Promise<number | null> {
  const [command, ...args] = healthcheck
  return new Promise((resolve, reject) => {
    const child = spawn(command === 'node' ? process.execPath : command!, args, { env: cleanEnv({ ...runtimeEnv, HTTP_PORT: String(port) }), stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', (code) => resolve(code))
  })
}

/** `coursebot_interactions_total{command="ask",...}` summed over outcomes. */
const askCount = (metrics: string) =>
  [...metrics.matchAll(/^coursebot_interactions_total\{([^}]*)\} (\d+(?:\.\d+)?)$/gm)]
    .filter((m) => /command="ask"/.test(m[1]!))
    .reduce((sum, m) => sum + Number(m[2]), 0)

describe('the image start command on a clean build directory', () => {
  it('assembled the runtime stage: compiled entry, corpus and the index built at build time, no .env, no fetched chapters', async () => {
    const app = dirOf.get(runtime.name)!
    expect(cmd).toEqual(['node', ...NODE_FLAGS, 'dist/src/main.js'])
    await expect(stat(path.join(app, 'dist/src/main.js'))).resolves.toBeTruthy()
    await expect(stat(path.join(app, 'data/library.idx'))).resolves.toBeTruthy()
    await expect(stat(path.join(app, 'package.json'))).resolves.toBeTruthy()
    const corpus = await readdir(path.join(app, 'corpus'))
    expect(corpus.some((f) => f.endsWith('.html'))).toBe(true)
    expect(corpus).not.toContain('fetched')
    await expect(stat(path.join(app, '.env'))).rejects.toThrow()
    // The build stage compiled only src/ and scripts/: no tests in the image.
    await expect(stat(path.join(app, 'dist/tests'))).rejects.toThrow()
  })

  it('starts without a token: /healthz 200, /metrics counts an /ask from stdin, HEALTHCHECK passes, SIGTERM exits 0', async () => {
    const app = await startImage()
    try {
      app.child.stdin!.write(QUESTION)
      const health = await poll('/healthz 200', async () => {
        const r = await get(app.port, '/healthz')
        return r.status === 200 ? r : undefined
      })
      expect(health.body.trim()).toBe('ok')

      const metrics = await poll('the /ask to be counted', async () => {
        const r = await get(app.port, '/metrics')
        return askCount(r.body) >= 1 ? r : undefined
      })
      expect(metrics.status).toBe(200)
      expect(metrics.body).toMatch(/^# TYPE coursebot_interactions_total counter$/m)
      expect(metrics.body).toMatch(/^coursebot_interactions_total\{command="ask",outcome="answered"\} 1$/m)
      expect(metrics.body).toMatch(/^coursebot_library_passages [1-9]\d*$/m)
      // Well inside the Kubernetes memory limit (deploy/kubernetes/deployment.yaml: 512Mi).
      const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics.body)?.[1])
      expect(rss).toBeGreaterThan(0)
      expect(rss).toBeLessThan(512 * 1024 * 1024)
      expect(app.stdout()).toContain('为什么我们需要Pod')

      expect(await healthcheckExit(app.port)).toBe(0)

      // The index built by the build stage matched the corpus in the runtime stage (whole-second
      // mtimes, as image layers keep them): loaded, not rebuilt.
      expect(app.stderr()).toContain('library loaded')
      expect(app.stderr()).not.toContain('library index rebuilt')

      const exited = exitOf(app.child)
      app.child.kill('SIGTERM')
      expect(await exited).toEqual({ code: 0, signal: null })
      expect(await healthcheckExit(app.port)).toBe(1)
    } finally {
      app.child.kill('SIGKILL')
    }
  }, 45_000)

  it('rebuilds the index at start when another corpus is mounted over /app/corpus', async () => {
    const app = dirOf.get(runtime.name)!
    // "Mount" a corpus with one chapter page more: a copy of one with a new name and a new mtime.
    const corpus = path.join(app, 'corpus')
    const page = (await readdir(corpus)).find((f) => f.endsWith('.html'))!
    await writeFile(path.join(corpus, `mounted-${page}`), await readFile(path.join(corpus, page)))
    const index = path.join(app, 'data/library.idx')
    const before = await readFile(index, 'utf8')
    const started = await startImage()
    try {
      await poll('/healthz 200', async () => ((await get(started.port, '/healthz')).status === 200 ? true : undefined))
      expect(started.stderr()).toContain('library index rebuilt')
      expect(started.stderr()).toContain('corpus changed')
      // data/ is writable by the runtime: the rebuilt index was saved for the next start.
      const after = await readFile(index, 'utf8')
      // The index file is JSON lines; its first line is the header with the corpus fingerprint.
      const fingerprint = (file: string) => (JSON.parse(file.slice(0, file.indexOf('\n'))) as { fingerprint: string }).fingerprint
      expect(fingerprint(after)).not.toBe(fingerprint(before))
      started.child.stdin!.end()
      expect((await exitOf(started.child)).code).toBe(0)
    } finally {
      started.child.kill('SIGKILL')
    }
  }, 45_000)
})
