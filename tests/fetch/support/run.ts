import { spawn, type ChildProcess } from 'node:child_process'
import { PROJECT_ROOT } from '../../../src/config.js'

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

/** Run a command in the project root with extra environment; `onStart` gets the child, e.g. to signal it. */
export function run(command: string, args: string[], env: Record<string, string> = {}, onStart?: (child: ChildProcess) => void): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    onStart?.(child)
  })
}
