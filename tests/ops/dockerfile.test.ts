// The Dockerfile, checked without Docker: linted with dockerfile-utils (the validator behind the
// VS Code Docker extension), then parsed with dockerfile-ast (the parser dockerfile-utils uses)
// to assert what the operations issue asks of the image.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import { validate, ValidationSeverity } from 'dockerfile-utils'
import { describe, expect, it } from 'vitest'
import { NODE_FLAGS } from '../../src/ops/node-flags.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dockerfile = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8')
const dockerignore = await readFile(path.join(ROOT, '.dockerignore'), 'utf8')

interface Stage {
  image: string
  name: string | undefined
  instructions: Instruction[]
}

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = []
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, as, name] = instruction.getArguments().map((a) => a.getValue())
      stages.push({ image: image!, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] })
    } else stages.at(-1)?.instructions.push(instruction)
  }
  return stages
}

const stages = stagesOf(dockerfile)
const final = stages.at(-1)!
const all = stages.flatMap((s) => s.instructions)
const ofKind = (list: Instruction[], keyword: string) => list.filter((i) => i.getKeyword() === keyword)
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue())
const flags = (i: Instruction) => (i as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags()
const content = (i: Instruction) => i.getArgumentsContent() ?? ''
/** The exec (JSON) form after CMD, or after HEALTHCHECK's flags and CMD. */
const execForm = (i: Instruction) => JSON.parse(content(i).slice(content(i).indexOf('['))) as string[]

describe('Dockerfile lint (dockerfile-utils)', () => {
  it('has no errors or warnings, with every rule at its default severity or stricter', () => {
    const strict = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    }
    const problems = validate(dockerfile, strict).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)
    expect(problems).toEqual([])
  })

  it('does flag a broken Dockerfile (the linter is really running)', () => {
    const broken = 'from node:20-bookworm-slim\nWORKDIR app\nHEALTHCHECK --interval=5x CMD true\nCMD ["a"]\nCMD ["b"]\n'
    expect(validate(broken).length).toBeGreaterThanOrEqual(4)
  })
})

describe('Dockerfile structure', () => {
  it('is multi-stage on a slim Node 20 base pinned by tag, with named stages', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    for (const stage of stages) {
      expect(stage.image).toMatch(/^node:20(\.\d+){0,2}-[a-z]+-slim$|^node:20(\.\d+){0,2}-slim$/)
      expect(stage.image).not.toMatch(/alpine|:latest$/)
      expect(stage.name).toMatch(/^[a-z][a-z0-9_.-]*$/)
    }
  })

  it('builds with npm ci, compiles, and builds the index from corpus/ at image build time', () => {
    const build = stages.find((s) => ofKind(s.instructions, 'RUN').some((r) => /\bnpm run build\b/.test(content(r))))
    expect(build, 'a stage runs `npm run build`').toBeDefined()
    const runs = ofKind(build!.instructions, 'RUN').map(content)
    expect(runs.findIndex((r) => /^npm ci\b/.test(r))).toBeLessThan(runs.findIndex((r) => /\bnpm run build\b/.test(r)))
    expect(runs.findIndex((r) => /\bnpm run build\b/.test(r))).toBeLessThan(runs.findIndex((r) => /node dist\/scripts\/index\.js/.test(r)))
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r)), 'the build stage has dev dependencies').toBe(false)
    const copied = ofKind(build!.instructions, 'COPY').flatMap((c) => args(c).slice(0, -1))
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'corpus']))
  })

  it('installs only production dependencies for the final stage and copies dist/, corpus/, data/ from the build', () => {
    const copies = ofKind(final.instructions, 'COPY').map((c) => ({ from: flags(c).find((f) => f.getName() === 'from')?.getValue(), args: args(c) }))
    const nodeModules = copies.find((c) => c.args[0]!.endsWith('node_modules'))
    const prodInstallInFinal = ofKind(final.instructions, 'RUN').some((r) => /\bnpm ci\b.*--omit=dev|\bnpm prune\b.*--omit=dev/.test(content(r)))
    if (!prodInstallInFinal) {
      expect(nodeModules?.from, 'node_modules comes from a stage').toBeDefined()
      const source = stages.find((s) => s.name === nodeModules!.from)!
      expect(ofKind(source.instructions, 'RUN').some((r) => /\bnpm ci\b.*--omit=dev|\bnpm prune\b.*--omit=dev/.test(content(r)))).toBe(true)
    }
    for (const dir of ['dist', 'corpus', 'data']) {
      const copy = copies.find((c) => c.args[0] === `/app/${dir}`)
      expect(copy, `COPY --from=<build> /app/${dir}`).toBeDefined()
      expect(stages.find((s) => s.name === copy!.from), `stage ${copy!.from}`).toBeDefined()
    }
    expect(copies.some((c) => c.from === undefined && c.args.includes('package.json'))).toBe(true)
    expect(copies.some((c) => c.from === undefined && c.args.some((a) => /^(src|scripts|tests)\b/.test(a))), 'no sources in the final stage').toBe(false)
  })

  it('gives data/ to the runtime user, so the index can be rebuilt at start', () => {
    const data = ofKind(final.instructions, 'COPY').find((c) => args(c)[0] === '/app/data')!
    expect(flags(data).find((f) => f.getName() === 'chown')?.getValue()).toMatch(/^(node|1000)(:(node|1000))?$/)
  })

  it('runs as a non-root user', () => {
    const users = ofKind(final.instructions, 'USER').map((u) => args(u)[0])
    expect(users.length).toBeGreaterThan(0)
    expect(users.at(-1)).not.toMatch(/^(root|0)(:.*)?$/)
  })

  it('sets NODE_ENV=production and HTTP_PORT=8080, and exposes 8080', () => {
    const env = Object.fromEntries(
      ofKind(final.instructions, 'ENV').flatMap((e) => (e as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties().map((p) => [p.getName(), p.getValue()])),
    )
    expect(env).toMatchObject({ NODE_ENV: 'production', HTTP_PORT: '8080' })
    expect(ofKind(final.instructions, 'EXPOSE').flatMap(args)).toContain('8080')
  })

  it('has a HEALTHCHECK that asks /healthz on HTTP_PORT with node (no curl in a slim image)', () => {
    const checks = ofKind(final.instructions, 'HEALTHCHECK')
    expect(checks).toHaveLength(1)
    const command = execForm(checks[0]!)
    expect(command[0]).toBe('node')
    expect(command.join(' ')).toContain('/healthz')
    expect(command.join(' ')).toContain('process.env.HTTP_PORT')
    expect(command.join(' ')).not.toMatch(/\b(curl|wget)\b/)
    const settings = Object.fromEntries(flags(checks[0]!).map((f) => [f.getName(), f.getValue()]))
    expect(settings['start-period'], 'time to load the library and log in to Discord').toBeDefined()
  })

  it('starts node dist/src/main.js in exec form, with the V8 flags of src/ops/node-flags.ts', () => {
    const cmds = ofKind(final.instructions, 'CMD')
    expect(cmds).toHaveLength(1)
    expect(execForm(cmds[0]!)).toEqual(['node', ...NODE_FLAGS, 'dist/src/main.js'])
    expect(ofKind(final.instructions, 'ENTRYPOINT')).toHaveLength(0)
  })

  it('carries no secret: no token in ARG or ENV, no .env copied', () => {
    for (const instruction of [...ofKind(all, 'ARG'), ...ofKind(all, 'ENV')]) {
      expect(content(instruction)).not.toMatch(/TOKEN|SECRET|PASSWORD/i)
    }
    for (const copy of [...ofKind(all, 'COPY'), ...ofKind(all, 'ADD')]) {
      expect(args(copy).some((a) => /(^|\/)\.env$/.test(a) || a === '.'), `${content(copy)}`).toBe(false)
    }
  })
})

describe('.dockerignore', () => {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))

  it('keeps out node_modules, .env, fetched chapters, build output and test output', () => {
    expect(patterns).toEqual(expect.arrayContaining(['node_modules', '.env', 'corpus/fetched', 'dist', 'data', 'coverage', '.git', 'bench']))
  })

  it('keeps every input the Dockerfile copies from the build context', () => {
    const sources = ofKind(all, 'COPY')
      .filter((c) => !flags(c).some((f) => f.getName() === 'from'))
      .flatMap((c) => args(c).slice(0, -1))
    for (const source of sources) expect(patterns, source).not.toContain(source)
    expect(patterns).not.toContain('corpus')
    expect(patterns).not.toContain('src')
  })
})
