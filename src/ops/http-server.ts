import { createServer, type RequestListener, type Server } from 'node:http'
import type { Registry } from 'prom-client'

/** Why the bot is not ready, or undefined when it is. */
export type Readiness = () => string | undefined

/** Probes and scrapes send a few hundred bytes at once; Node's defaults (60 s, 300 s) wait far longer. */
export const HEADERS_TIMEOUT_MS = 10_000
export const REQUEST_TIMEOUT_MS = 30_000
/** Enough for probes, scrapes and a few people with curl; connections past it are closed at once. */
export const MAX_CONNECTIONS = 256

/**
 * `GET /healthz`: 200 "ok" when ready, 503 with the reason otherwise. `GET /metrics`: Prometheus text.
 * Kubernetes probes and Docker's HEALTHCHECK use the first, Prometheus scrapes the second.
 */
export function startHttpServer(
  port: number,
  readiness: Readiness,
  metrics: () => Promise<Registry>,
  host = '0.0.0.0',
  /** More paths, each with its own handler (the interactions endpoint in HTTP mode). */
  routes: Readonly<Record<string, RequestListener>> = {},
): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined
    if (route) {
      route(request, response)
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
    } else if (path === '/healthz') {
      const reason = readiness()
      response.writeHead(reason ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8' }).end(reason ? `not ready: ${reason}\n` : 'ok\n')
    } else if (path === '/metrics') {
      try {
        const registry = await metrics()
        const body = await registry.metrics()
        response.writeHead(200, { 'content-type': registry.contentType }).end(body)
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`)
      }
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n')
    }
  })
  // A client that trickles its headers, or opens connections by the thousand, cannot hold the server.
  server.headersTimeout = HEADERS_TIMEOUT_MS
  server.requestTimeout = REQUEST_TIMEOUT_MS
  server.maxConnections = MAX_CONNECTIONS
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}

/**
 * Stop taking connections and let the requests in flight finish; those still open after `graceMs` are cut.
 * `close` ends only the connections idle at the time: one that finishes its request later would stay open for
 * its keep-alive time, so idle ones are swept until none is left.
 */
export function stopHttpServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50)
    const cut = setTimeout(() => server.closeAllConnections(), graceMs)
    server.close(() => {
      clearInterval(sweep)
      clearTimeout(cut)
      resolve()
    })
  })
}
