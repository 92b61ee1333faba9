import { setTimeout as sleep } from 'node:timers/promises'
import pRetry from 'p-retry'

export const USER_AGENT = 'k8s-course-bot/0.1 (+study-group course fetcher)'

export interface HttpOptions {
  userAgent: string
  /** Per request (each attempt and each redirect hop), including reading the body. */
  timeoutMs: number
  /** Retries after the first attempt, for network errors, timeouts, 429 and 5xx. */
  retries: number
  /** First backoff; each retry doubles it and multiplies it by a random 1–2 (jitter), up to maxBackoffMs. */
  minBackoffMs: number
  maxBackoffMs: number
  /** A Retry-After longer than this is not waited out: the chapter fails instead of stalling the run. */
  maxRetryAfterMs: number
  maxRedirects: number
  /** A chapter page is tens of kilobytes; a larger answer is not a chapter. */
  maxBytes: number
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  userAgent: USER_AGENT,
  timeoutMs: 15_000,
  retries: 3,
  minBackoffMs: 1_000,
  maxBackoffMs: 20_000,
  maxRetryAfterMs: 120_000,
  maxRedirects: 5,
  maxBytes: 5 * 1024 * 1024,
}

export interface RetryNotice {
  /** The attempt that failed, from 1. */
  attempt: number
  reason: string
  /** Extra wait the server asked for with Retry-After, before the usual backoff. */
  retryAfterMs: number | undefined
}

export interface RequestContext {
  /** Aborts the request and any wait (Ctrl-C). */
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
}

export interface FetchedPage {
  contentType: string
  body: string
}

/** A failed request; `retryable` says whether trying again may help. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'FetchError'
  }
}

/** Retry-After is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

async function readBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await response.body?.cancel()
    throw new FetchError(`answer too large (${declared} bytes, limit ${maxBytes})`, false)
  }
  const chunks: Uint8Array[] = []
  let size = 0
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength
      // Leaving the loop cancels the stream, so an endless body is not read to the end.
      if (size > maxBytes) throw new FetchError(`answer too large (over ${maxBytes} bytes)`, false)
      chunks.push(chunk)
    }
  }
  return Buffer.concat(chunks)
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] ?? 'utf-8'
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes)
  } catch {
    throw new FetchError(`body is not valid ${charset} text`, false)
  }
}

/** What went wrong below HTTP, as a FetchError: a timeout or a network error can be retried; Ctrl-C is passed on as is. */
function transportError(error: unknown, timeoutMs: number, signal: AbortSignal | undefined): unknown {
  if (error instanceof FetchError || signal?.aborted) return error
  const name = (error as Error | undefined)?.name
  if (name === 'TimeoutError') return new FetchError(`timed out after ${timeoutMs} ms`, true)
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return new FetchError(`network error: ${cause?.code ?? cause?.message ?? (error as Error).message}`, true)
}

/** One attempt: GET with a timeout, following redirects by hand and only within the starting origin. */
async function attempt(url: string, options: HttpOptions, signal: AbortSignal | undefined): Promise<FetchedPage> {
  const origin = new URL(url).origin
  let current = url
  for (let hop = 0; ; hop++) {
    const timeout = AbortSignal.timeout(options.timeoutMs)
    const requestSignal = signal ? AbortSignal.any([signal, timeout]) : timeout
    try {
      const response = await fetch(current, {
        redirect: 'manual',
        signal: requestSignal,
        headers: { 'user-agent': options.userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' },
      })
      const { status } = response
      if (REDIRECTS.has(status)) {
        await response.body?.cancel()
        const location = response.headers.get('location')
        if (!location) throw new FetchError(`HTTP ${status} redirect without a Location`, false)
        const next = new URL(location, current)
        if (next.origin !== origin) throw new FetchError(`HTTP ${status} redirect to another origin (${next.origin}), not followed`, false)
        if (hop >= options.maxRedirects) throw new FetchError(`more than ${options.maxRedirects} redirects`, false)
        current = next.href
        continue
      }
      if (status === 429 || status >= 500) {
        await response.body?.cancel()
        throw new FetchError(`HTTP ${status}`, true, parseRetryAfter(response.headers.get('retry-after')))
      }
      if (status < 200 || status > 299) {
        await response.body?.cancel()
        throw new FetchError(`HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`, false)
      }
      const contentType = response.headers.get('content-type') ?? ''
      const body = decode(await readBody(response, options.maxBytes), contentType)
      return { contentType, body }
    } catch (error) {
      throw transportError(error, options.timeoutMs, signal)
    }
  }
}

/**
 * GET a page politely: a timeout per attempt, retries with exponential backoff and jitter (p-retry) on
 * network errors, timeouts, 429 and 5xx, waiting out Retry-After first; other 4xx fail at once.
 */
export async function fetchPage(url: string, options: HttpOptions, context: RequestContext = {}): Promise<FetchedPage> {
  let attempts = 0
  try {
    return await pRetry(
      () => {
        attempts++
        return attempt(url, options, context.signal)
      },
      {
        retries: options.retries,
        factor: 2,
        minTimeout: options.minBackoffMs,
        maxTimeout: options.maxBackoffMs,
        randomize: true,
        signal: context.signal,
        shouldRetry: ({ error }) => error instanceof FetchError && error.retryable,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof FetchError) || !error.retryable || retriesLeft === 0) return
          const wait = error.retryAfterMs
          // Throwing here ends the retries: a server that asks for an hour's pause gets it, without us waiting.
          if (wait !== undefined && wait > options.maxRetryAfterMs) {
            throw new FetchError(`${error.message}, Retry-After ${Math.ceil(wait / 1000)} s is longer than the ${Math.ceil(options.maxRetryAfterMs / 1000)} s limit`, false)
          }
          context.onRetry?.({ attempt: attemptNumber, reason: error.message, retryAfterMs: wait })
          if (wait) await sleep(wait, undefined, { signal: context.signal })
        },
      },
    )
  } catch (error) {
    if (error instanceof FetchError && attempts > 1) throw new FetchError(`${error.message} (after ${attempts} attempts)`, false)
    throw error
  }
}
