// The one top-level error path, and the HTTP server's limits.
import { Agent, request as httpRequest, type RequestListener } from 'node:http'
import { describe, expect, it } from 'vitest'
import { Registry } from 'prom-client'
import { ConfigError, loadBotConfig } from '../../src/config.js'
import { KnownError, reportError } from '../../src/errors.js'
import { FetchSetupError } from '../../src/fetch/corpus-toc.js'
import { HEADERS_TIMEOUT_MS, MAX_CONNECTIONS, REQUEST_TIMEOUT_MS, startHttpServer, stopHttpServer } from '../../src/ops/http-server.js'

describe('reportError', () => {
  it('a known error: its one line, exit 2, never a stack', () => {
    for (const error of [new KnownError('CORPUS_DIR: /x does not exist'), new ConfigError('HTTP_PORT', 'bad'), new FetchSetupError('--out: /x is not a folder')]) {
      const report = reportError(error, true)
      expect(report.exitCode).toBe(2)
      expect(report.text).toBe(error.message)
    }
  })

  it('a system error naming a path or address is the operator to fix: one line, exit 2', () => {
    const error = Object.assign(new Error("EACCES: permission denied, open '/data/library.jsonl'"), { code: 'EACCES', syscall: 'open', path: '/data/library.jsonl' })
    expect(reportError(error, true)).toEqual({ exitCode: 2, text: "EACCES: permission denied, open '/data/library.jsonl'" })
  })

  it('anything else: one line and exit 1; the stack only when asked for (LOG_LEVEL=debug)', () => {
    const error = new TypeError('cannot read properties of undefined\nsecond line')
    expect(reportError(error, false)).toEqual({ exitCode: 1, text: 'unexpected error: cannot read properties of undefined' })
    const withStack = reportError(error, true)
    expect(withStack.exitCode).toBe(1)
    expect(withStack.text.split('\n')[0]).toBe('unexpected error: cannot read properties of undefined')
    expect(withStack.text).toMatch(/\n\s+at /)
    expect(reportError('a string', false)).toEqual({ exitCode: 1, text: 'unexpected error: a string' })
  })
})

describe('the HTTP server', () => {
  it('listens on HTTP_HOST (default 0.0.0.0), with a header timeout and a cap on connections', async () => {
    expect(loadBotConfig({}).httpHost).toBe('0.0.0.0')
    expect(loadBotConfig({ HTTP_HOST: '127.0.0.1' }).httpHost).toBe('127.0.0.1')
    const server = await startHttpServer(0, () => undefined, async () => new Registry(), '127.0.0.1')
    try {
      expect(server.address()).toMatchObject({ address: '127.0.0.1' })
      expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS)
      expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS)
      expect(server.maxConnections).toBe(MAX_CONNECTIONS)
      expect(HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(10_000)
      const port = (server.address() as { port: number }).port
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('ok\n')
    } finally {
      server.close()
    }
  })

  it('stops by finishing the request in flight, then closing its kept-alive connection without waiting out keep-alive', async () => {
    const slow: RequestListener = (request, response) => {
      request.resume()
      request.once('end', () => response.end('done'))
    }
    const server = await startHttpServer(0, () => undefined, async () => new Registry(), '127.0.0.1', { '/slow': slow })
    server.keepAliveTimeout = 120_000
    const port = (server.address() as { port: number }).port
    const agent = new Agent({ keepAlive: true })
    const answered = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/slow', method: 'POST', agent, headers: { 'content-length': '4' } }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve(text))
      })
      req.on('error', reject)
      req.write('ab')
      setTimeout(() => req.end('cd'), 200)
    })
    // Stopped while the request is still arriving: it is answered, and the server closes well before keep-alive ends.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const stopped = stopHttpServer(server, 120_000)
    expect(await answered).toBe('done')
    await stopped
    expect(server.listening).toBe(false)
    agent.destroy()
  })
})
