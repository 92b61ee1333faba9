import type { KeyObject } from 'node:crypto'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import pRetry, { AbortError } from 'p-retry'
import type { Logger } from 'pino'
import type { Dispatcher, Incoming } from './dispatcher.js'
import { callbackBody, CallbackType, deferredBody, InteractionType, messageBody, parseInteraction, toIncoming, type RawInteraction } from './raw-interaction.js'
import { signatureProblem } from './signature.js'

/** Where Discord POSTs interactions when the application's Interactions Endpoint URL points at the bot. */
export const INTERACTIONS_PATH = '/interactions'
/** Discord's interactions are a few KB; anything this big is not one. */
export const MAX_BODY_BYTES = 64 * 1024
/** Discord waits 3 s for the HTTP answer; past this estimate the bot answers "thinking…" first. */
export const DEFER_AFTER_MS = 2000
/** A body that trickles in slower than this is dropped (the server's header timeout covers the headers). */
export const BODY_TIMEOUT_MS = 10_000
/** One attempt at sending a deferred answer. */
const PATCH_TIMEOUT_MS = 5000

export interface InteractionsEndpointOptions {
  dispatcher: Dispatcher
  publicKey: KeyObject
  logger: Logger
  /** Discord REST base without the version, e.g. https://discord.com/api (DISCORD_API_URL in tests). */
  api: string
  /** Defer a command when its expected time to answer reaches this; 0 defers every command (tests). */
  deferAfterMs?: number
  /** How long a request's body may take to arrive (shorter in tests). */
  bodyTimeoutMs?: number
}

/**
 * The slowest recent handling time of each command, decaying so that one slow answer is forgotten after a
 * while. With the time a request already waited, it predicts whether an answer would miss Discord's deadline.
 */
class SlowestRecent {
  private readonly slowest = new Map<string, number>()

  observe(command: string, ms: number): void {
    this.slowest.set(command, Math.max(ms, (this.slowest.get(command) ?? 0) * 0.9))
  }

  expected(command: string, waitedMs: number): number {
    return waitedMs + (this.slowest.get(command) ?? 0)
  }
}

type Body = { ok: true; bytes: Buffer } | { ok: false; status: 408 | 413 }

function readBody(request: IncomingMessage, limit: number, timeoutMs: number): Promise<Body> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.resolve({ ok: false, status: 413 })
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const timer = setTimeout(() => finish({ ok: false, status: 408 }), timeoutMs)
    const finish = (body: Body) => {
      clearTimeout(timer)
      request.removeAllListeners('data')
      resolve(body)
    }
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) finish({ ok: false, status: 413 })
      else chunks.push(chunk)
    })
    request.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }))
    request.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    response.writeHead(status, headers).end()
    return
  }
  const text = typeof body === 'string' ? `${body}\n` : JSON.stringify(body)
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'
  response.writeHead(status, { 'content-type': type, ...headers }).end(text)
}

export interface InteractionsEndpoint {
  /** Serves `POST /interactions`. */
  listener: RequestListener
  /** Resolves once every deferred answer begun so far has been sent, or given up: a replica that is shutting down waits for it. */
  settled(): Promise<void>
}

/**
 * `POST /interactions`: Discord's signed interactions, answered in the HTTP response by the same dispatcher
 * the gateway mode uses. Holds no state between requests beyond the per-replica /ask cooldown, so any
 * number of replicas can serve one application: a button carries what it needs in its custom_id and message.
 */
export function interactionsEndpoint(options: InteractionsEndpointOptions): InteractionsEndpoint {
  const { dispatcher, publicKey, logger } = options
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS
  const slowest = new SlowestRecent()
  /** Deferred answers not yet sent: the user sees "thinking…" until each is. */
  const deferred = new Set<Promise<void>>()

  const dispatch = (incoming: Incoming) => {
    const started = performance.now()
    const response = dispatcher.dispatch(incoming)
    if (incoming.type === 'command') slowest.observe(incoming.name, performance.now() - started)
    return response
  }

  /** Answers a deferred command by editing the "thinking…" message; the token only ever goes in this URL. */
  const finishDeferred = async (interaction: RawInteraction, incoming: Incoming) => {
    const response = dispatch(incoming)
    // Only autocomplete answers with choices, and it is never deferred.
    if (response.type === 'choices') return
    const body = messageBody(response.payload, { update: true })
    const url = `${options.api}/v10/webhooks/${interaction.application_id}/${encodeURIComponent(interaction.token)}/messages/@original`
    try {
      await pRetry(
        async () => {
          const answer = await fetch(url, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            // The interaction token lasts 15 minutes; a hung connection must not hold the answer that long.
            signal: AbortSignal.timeout(PATCH_TIMEOUT_MS),
          })
          if (answer.ok) return
          const failure = new Error(`Discord answered ${answer.status} to the deferred answer`)
          // 4xx will not change on a retry (an expired token, a deleted message); 5xx and 429 may.
          throw answer.status >= 500 || answer.status === 429 ? failure : new AbortError(failure)
        },
        { retries: 2, minTimeout: 200 },
      )
    } catch (error) {
      logger.error({ interactionId: interaction.id, err: { message: (error as Error).message } }, 'could not send a deferred answer')
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const arrived = performance.now()
    if (request.method !== 'POST') return send(response, 405, 'only POST', { allow: 'POST' })
    const body = await readBody(request, MAX_BODY_BYTES, options.bodyTimeoutMs ?? BODY_TIMEOUT_MS)
    // Stop reading what is left of a refused body: close the connection after the answer.
    if (!body.ok) return send(response, body.status, body.status === 413 ? `body over ${MAX_BODY_BYTES} bytes` : 'body too slow', { connection: 'close' })
    const problem = signatureProblem(
      publicKey,
      { signature: request.headers['x-signature-ed25519'] as string | undefined, timestamp: request.headers['x-signature-timestamp'] as string | undefined },
      body.bytes,
    )
    if (problem) {
      logger.debug({ problem }, 'refused an unsigned interaction request')
      return send(response, 401, `invalid request signature: ${problem}`)
    }
    let json: unknown
    try {
      json = JSON.parse(body.bytes.toString('utf8'))
    } catch {
      return send(response, 400, 'body is not JSON')
    }
    const parsed = parseInteraction(json)
    if (!parsed.ok) return send(response, 400, parsed.problem)
    const { interaction } = parsed
    if (interaction.type === InteractionType.ping) return send(response, 200, { type: CallbackType.pong })
    const incoming = toIncoming(interaction)
    if (!incoming) return send(response, 400, `interaction type ${interaction.type} is not served here`)
    if (incoming.type === 'command' && slowest.expected(incoming.name, performance.now() - arrived) >= deferAfterMs) {
      send(response, 200, deferredBody(incoming))
      // After the "thinking…" answer has gone out.
      const answering = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => finishDeferred(interaction, incoming))
        .catch((error: unknown) => logger.error({ interactionId: interaction.id, err: { message: (error as Error).message } }, 'could not answer a deferred command'))
      deferred.add(answering)
      void answering.finally(() => deferred.delete(answering))
      return
    }
    send(response, 200, callbackBody(dispatch(incoming)))
  }

  return {
    listener: (request, response) => {
      handle(request, response).catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'interactions endpoint failed')
        if (!response.headersSent) send(response, 500, 'internal error')
        else response.destroy()
      })
    },
    settled: async () => {
      while (deferred.size > 0) await Promise.all(deferred)
    },
  }
}
