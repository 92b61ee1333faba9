import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto'

/** An Ed25519 public key as SPKI DER: this fixed header, then the raw 32 bytes Discord shows as hex. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Discord's signed requests older or newer than this are refused (a replayed request is a stale one). */
export const MAX_CLOCK_SKEW_SECONDS = 300

/** The application's public key (Developer Portal → General Information → Public Key, 64 hex digits). */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('not 64 hexadecimal digits')
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' })
}

/** Why a request's signature is refused, or undefined when Discord signed it. */
export type SignatureProblem = 'missing signature headers' | 'malformed signature' | 'stale timestamp' | 'bad signature'

/**
 * Checks X-Signature-Ed25519 over X-Signature-Timestamp + the raw body, before anything reads the body as JSON.
 * `nowSeconds` is injectable for tests of the clock window.
 */
export function signatureProblem(
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: Buffer,
  nowSeconds = Date.now() / 1000,
): SignatureProblem | undefined {
  const { signature, timestamp } = headers
  if (!signature || !timestamp) return 'missing signature headers'
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'malformed signature'
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return 'stale timestamp'
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex')) ? undefined : 'bad signature'
}

/** The two headers Discord would send with `body`: for tests and the benchmark, which play Discord. */
export function signatureHeaders(privateKey: KeyObject, body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const stamp = String(timestamp)
  const signature = sign(null, Buffer.concat([Buffer.from(stamp, 'utf8'), Buffer.from(body)]), privateKey)
  return { 'x-signature-ed25519': signature.toString('hex'), 'x-signature-timestamp': stamp }
}
