/**
 * A small fake Discord (REST + gateway) for end-to-end tests.
 *
 * A real discord.js `Client` logs into it with
 *   new Client({ intents: [], rest: { api: fake.apiUrl } })
 * and everything stays on 127.0.0.1. The fake records every REST request and every gateway
 * frame so tests can assert on what the bot actually sent to "Discord".
 *
 * Only what a slash-command bot needs is modelled: gateway login/heartbeat/resume, command
 * registration, interaction callbacks and the interaction webhook (editReply/followUp).
 * Unknown routes answer 404 and are still recorded (`unknownRoute: true`), so a test can spot them.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type {
  APIApplicationCommandInteractionDataOption,
  APIInteractionGuildMember,
  APIMessage,
  APIUser,
  Client,
  GuildMemberFlags,
  MessageFlags,
} from 'discord.js'

// ---------------------------------------------------------------------------------------------
// Ids and defaults
// ---------------------------------------------------------------------------------------------

export const DEFAULT_APP_ID = '1100000000000000001'
/** The bot user id equals the application id, as it does for real Discord bots. */
export const DEFAULT_BOT_ID = DEFAULT_APP_ID
export const DEFAULT_BOT_NAME = 'fake-bot'
export const DEFAULT_GUILD_ID = '1100000000000000100'
export const DEFAULT_CHANNEL_ID = '1100000000000000200'
export const DEFAULT_USER_ID = '1100000000000000300'
export const DEFAULT_TOKEN = 'fake-token'

const DISCORD_EPOCH = 1420070400000n
let snowflakeIncrement = 0n

/** A unique, time-ordered 18–19 digit snowflake (discord.js derives timestamps from it). */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString()
}

function randomToken(): string {
  return `itok_${randomBytes(24).toString('base64url')}`
}

// ---------------------------------------------------------------------------------------------
// Interaction payload builders
// ---------------------------------------------------------------------------------------------

/**
 * A gateway INTERACTION_CREATE `d` object. Deliberately looser than discord-api-types' unions
 * (guild vs DM wrappers) so tests can tweak fields; the self-test proves discord.js accepts it.
 */
export interface InteractionPayload {
  id: string
  application_id: string
  type: number
  token: string
  version: 1
  data?: Record<string, unknown>
  guild_id?: string
  channel_id: string
  channel: { id: string; type: number; [key: string]: unknown }
  member?: APIInteractionGuildMember
  user?: APIUser
  message?: APIMessage
  locale: string
  guild_locale?: string
  app_permissions: string
  // Without these two discord.js throws inside the gateway handler and the interaction vanishes.
  entitlements: unknown[]
  authorizing_integration_owners: Record<string, string>
  context: number
  attachment_size_limit: number
  [key: string]: unknown
}

export interface InteractionExtra {
  /** Invoking user's id (vary it to test per-user behaviour such as cooldowns). */
  userId?: string
  username?: string
  globalName?: string | null
  /** Send as a DM interaction: top-level `user`, no `member`/`guild_id`. */
  dm?: boolean
  guildId?: string
  channelId?: string
  applicationId?: string
  /** User locale, default 'zh-CN'. */
  locale?: string
  /** Guild locale, default = locale. */
  guildLocale?: string
  roles?: string[]
  /** Member permissions bitfield as a decimal string. */
  memberPermissions?: string
  appPermissions?: string
  /** Fields merged last, verbatim, into the payload. */
  overrides?: Partial<InteractionPayload>
}

/**
 * Options either as discord-api-types objects, or as a plain record for convenience:
 * strings → STRING (3), integral numbers → INTEGER (4), other numbers → NUMBER (10), booleans → BOOLEAN (5).
 * (discord.js checks option types, so pass the explicit array form for NUMBER options with integral values.)
 */
export type OptionsInput =
  | APIApplicationCommandInteractionDataOption[]
  | Record<string, string | number | boolean>

function toOptions(input: OptionsInput | undefined, focused?: string): APIApplicationCommandInteractionDataOption[] {
  if (!input) return []
  if (Array.isArray(input)) return input
  return Object.entries(input).map(([name, value]) => {
    const type = typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10
    const option = { name, type, value } as Record<string, unknown>
    if (name === focused) option.focused = true
    return option as unknown as APIApplicationCommandInteractionDataOption
  })
}

function makeUser(extra: InteractionExtra): APIUser {
  const id = extra.userId ?? DEFAULT_USER_ID
  const username = extra.username ?? `user${id.slice(-4)}`
  return { id, username, discriminator: '0', global_name: extra.globalName ?? username, avatar: null }
}

function basePayload(type: number, extra: InteractionExtra = {}): InteractionPayload {
  const locale = extra.locale ?? 'zh-CN'
  const channelId = extra.channelId ?? DEFAULT_CHANNEL_ID
  const user = makeUser(extra)
  const common = {
    id: snowflake(),
    application_id: extra.applicationId ?? DEFAULT_APP_ID,
    type,
    token: randomToken(),
    version: 1 as const,
    channel_id: channelId,
    locale,
    app_permissions: extra.appPermissions ?? '0',
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 10 * 1024 * 1024,
  }
  if (extra.dm) {
    // context 1 = bot DM; channel type 1 = DM.
    return { ...common, user, context: 1, channel: { id: channelId, type: 1 }, ...extra.overrides }
  }
  const member: APIInteractionGuildMember = {
    user,
    roles: extra.roles ?? [],
    permissions: extra.memberPermissions ?? '0',
    joined_at: new Date(Date.now() - 86_400_000).toISOString(),
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
  }
  return {
    ...common,
    guild_id: extra.guildId ?? DEFAULT_GUILD_ID,
    guild_locale: extra.guildLocale ?? locale,
    member,
    context: 0,
    channel: { id: channelId, type: 0 },
    ...extra.overrides,
  }
}

/** A slash command (type 2 APPLICATION_COMMAND, data.type 1 CHAT_INPUT). */
export function chatInput(name: string, options?: OptionsInput, extra?: InteractionExtra): InteractionPayload {
  const p = basePayload(2, extra)
  // No data.guild_id: that would mark the command as guild-registered (commandGuildId).
  p.data = { id: snowflake(), name, type: 1, options: toOptions(options) }
  return p
}

/**
 * An autocomplete request (type 4). Exactly one option must be `focused: true`: with the record
 * form, name it in `focused` (default: the first option); its value is sent as a string, as Discord does.
 */
export function autocomplete(
  name: string,
  options: OptionsInput,
  extra?: InteractionExtra & { focused?: string },
): InteractionPayload {
  const p = basePayload(4, extra)
  let opts: APIApplicationCommandInteractionDataOption[]
  if (Array.isArray(options)) {
    opts = options
  } else {
    const focused = extra?.focused ?? Object.keys(options)[0]
    opts = toOptions(options, focused).map((o) =>
      o.name === focused ? ({ ...o, type: 3, value: String((o as { value: unknown }).value) } as typeof o) : o,
    )
  }
  if (opts.filter((o) => (o as { focused?: boolean }).focused).length !== 1) {
    throw new Error(`autocomplete('${name}') needs exactly one focused option`)
  }
  p.data = { id: snowflake(), name, type: 1, options: opts }
  return p
}

/** A message object as Discord returns it; `partial` wins over the defaults. */
export function makeMessage(partial: Partial<APIMessage> = {}, author?: APIUser): APIMessage {
  return {
    id: snowflake(),
    channel_id: DEFAULT_CHANNEL_ID,
    author: author ?? {
      id: DEFAULT_BOT_ID,
      username: DEFAULT_BOT_NAME,
      discriminator: '0000',
      global_name: null,
      avatar: null,
      bot: true,
    },
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0 as MessageFlags,
    ...partial,
  }
}

/** A button click (type 3 MESSAGE_COMPONENT, component_type 2) on `message` (defaults to a bot message). */
export function button(customId: string, message?: Partial<APIMessage>, extra?: InteractionExtra): InteractionPayload {
  const p = basePayload(3, extra)
  p.data = { custom_id: customId, component_type: 2 }
  p.message = makeMessage({ channel_id: p.channel_id, ...message })
  return p
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

export interface RecordedFile {
  field: string
  filename: string
  contentType?: string
  size: number
}

export interface RecordedRequest {
  /** Monotonic index across all requests. */
  index: number
  method: string
  /** Decoded route after `/api/v10`, without query, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string
  query: Record<string, string>
  headers: IncomingMessage['headers']
  /** Parsed JSON body (for multipart: the parsed `payload_json` part); undefined if none. */
  body: any
  files: RecordedFile[]
  time: number
  /** Status the fake answered with. */
  status: number
  /** True when the status came from `failNext`. */
  injected: boolean
  unknownRoute: boolean
}

export interface CommandRegistration {
  scope: 'global' | 'guild'
  applicationId: string
  guildId?: string
  body: any[]
  request: RecordedRequest
}

export interface GatewayFrame {
  /** Monotonic index across all frames. */
  index: number
  /** 'in' = sent by the client, 'out' = sent by the fake. */
  dir: 'in' | 'out'
  connection: number
  /** Shard id once the connection has identified/resumed. */
  shard?: number
  op: number
  t?: string | null
  s?: number | null
  d: any
  time: number
}

export interface FaultSpec {
  /** HTTP method, case-insensitive; any if omitted. */
  method?: string
  /** Substring of, or RegExp tested against, the decoded route (see RecordedRequest.path). */
  path: string | RegExp
  /** e.g. 500 (discord.js retries 5xx up to 3 times) or 429. */
  status: number
  /** How many matching requests to fail. Default 1. */
  times?: number
  /** For 429: seconds, sent as `Retry-After` and `retry_after`. Default 0.1. */
  retryAfter?: number
  /** For 429: mark as a global rate limit. */
  global?: boolean
  /** Response body; a sensible Discord-like error by default. */
  body?: unknown
}

export interface FakeDiscordOptions {
  /** Recommended shard count from GET /gateway/bot. Default 1. */
  shards?: number
  /**
   * session_start_limit.max_concurrency. Defaults to `shards`: @discordjs/ws otherwise spaces
   * identifies of shards sharing a bucket 5 s apart.
   */
  maxConcurrency?: number
  /** HELLO heartbeat_interval in ms. Default 41250. */
  heartbeatInterval?: number
  applicationId?: string
  botId?: string
  botName?: string
  /** Default timeout for waits. Default 5000 ms. */
  timeoutMs?: number
}

export interface DispatchOptions {
  /** Target shard; default: Discord's routing `(guild_id >> 22) % shardCount`, 0 for DMs. */
  shard?: number
  timeoutMs?: number
}

export interface FakeDiscord {
  readonly port: number
  /** Pass as `rest.api`; discord.js appends `/v10` itself. */
  readonly apiUrl: string
  readonly gatewayUrl: string
  readonly applicationId: string
  readonly botId: string
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[]
  /** Every gateway frame in both directions. */
  readonly frames: GatewayFrame[]
  /** Every PUT of a command list. */
  readonly commands: CommandRegistration[]
  /** IDENTIFY `d` payloads received (token, intents, shard, ...). */
  readonly identifies: any[]
  /** RESUME `d` payloads received that were accepted. */
  readonly resumes: any[]
  /** Interactions dispatched so far, by token. */
  readonly interactions: Map<string, InteractionPayload>

  /** Fail the next `times` requests matching `spec` with `spec.status`. */
  failNext(spec: FaultSpec): void
  /** Send a dispatch event (op 0) to a shard once it has a live session. */
  dispatch(t: string, d: unknown, opts?: DispatchOptions): Promise<void>
  /**
   * Inject INTERACTION_CREATE and resolve with the first 2xx callback POST for it
   * (failed attempts from `failNext` stay in `requests`).
   */
  interact(payload: InteractionPayload, opts?: DispatchOptions): Promise<RecordedRequest>
  /** Resolve with the first request (already recorded or future) matching `predicate`. */
  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number, what?: string): Promise<RecordedRequest>
  /** Resolve with the first 2xx PATCH of `@original` for the interaction (editReply). */
  waitForEditReply(payload: InteractionPayload, timeoutMs?: number): Promise<RecordedRequest>
  /** Resolve with the first gateway frame matching `predicate`. */
  waitForFrame(predicate: (f: GatewayFrame) => boolean, timeoutMs?: number, what?: string): Promise<GatewayFrame>
  /** Requests concerning one interaction (its callback and webhook requests), in order. */
  requestsFor(payload: InteractionPayload): RecordedRequest[]
  /** Current state of a webhook message kept by the fake (`@original` or an id). */
  message(token: string, messageId?: string): APIMessage | undefined
  /** Wait until a shard has a live, identified/resumed session. */
  whenShardReady(shard: number, timeoutMs?: number): Promise<void>
  /** Send op 7 RECONNECT; resolves once the client has resumed on a new connection. */
  reconnect(shard?: number, timeoutMs?: number): Promise<void>
  /** Send op 9 INVALID_SESSION; resolves once the shard has a live session again. */
  invalidateSession(shard?: number, resumable?: boolean, timeoutMs?: number): Promise<void>
  /** Close a shard's socket from the server side with `code` (no wait). */
  disconnect(shard?: number, code?: number): void
  /** Terminate every socket and stop listening. Call `client.destroy()` first. */
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

interface Waiter<T> {
  predicate: (item: T) => boolean
  resolve: (item: T) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

/** An append-only log whose entries can be awaited; waits fail loudly instead of hanging. */
class Log<T> {
  readonly items: T[] = []
  private waiters = new Set<Waiter<T>>()

  constructor(private readonly describeRecent: () => string) {}

  push(item: T): void {
    this.items.push(item)
    for (const w of this.waiters) {
      if (w.predicate(item)) {
        clearTimeout(w.timer)
        this.waiters.delete(w)
        w.resolve(item)
      }
    }
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = this.items.find(predicate)
    if (found !== undefined) return Promise.resolve(found)
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter)
          reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}.\n${this.describeRecent()}`))
        }, timeoutMs),
      }
      this.waiters.add(waiter)
    })
  }

  rejectAll(reason: string): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer)
      w.reject(new Error(`fake-discord: ${reason}`))
    }
    this.waiters.clear()
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Minimal multipart/form-data parser: enough for discord.js' `payload_json` + `files[n]` parts. */
function parseMultipart(raw: Buffer, boundary: string): { payload: unknown; files: RecordedFile[] } {
  const delimiter = Buffer.from(`--${boundary}`)
  const files: RecordedFile[] = []
  let payload: unknown
  let pos = raw.indexOf(delimiter)
  while (pos !== -1) {
    const start = pos + delimiter.length
    if (raw.subarray(start, start + 2).toString() === '--') break // closing delimiter
    const next = raw.indexOf(delimiter, start)
    if (next === -1) break
    const part = raw.subarray(start + 2, next - 2) // strip CRLF after delimiter and before the next one
    const headerEnd = part.indexOf('\r\n\r\n')
    const headers = part.subarray(0, headerEnd).toString('utf8')
    const content = part.subarray(headerEnd + 4)
    const field = /name="([^"]*)"/i.exec(headers)?.[1] ?? ''
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1]
    if (field === 'payload_json') {
      payload = JSON.parse(content.toString('utf8'))
    } else if (filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]
      files.push({ field, filename, contentType, size: content.length })
    }
    pos = next
  }
  return { payload, files }
}

function parseBody(contentType: string | undefined, raw: Buffer): { body: unknown; files: RecordedFile[] } {
  if (raw.length === 0) return { body: undefined, files: [] }
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2]
  if (boundary) {
    const { payload, files } = parseMultipart(raw, boundary)
    return { body: payload, files }
  }
  const text = raw.toString('utf8')
  try {
    return { body: JSON.parse(text), files: [] }
  } catch {
    return { body: text, files: [] }
  }
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

const MESSAGE_FIELDS = ['content', 'embeds', 'components', 'flags', 'poll', 'tts'] as const

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

interface Session {
  id: string
  shard: [number, number]
  seq: number
  socket: WebSocket | null
}

interface Connection {
  id: number
  socket: WebSocket
  session: Session | null
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const shardCount = opts.shards ?? 1
  const maxConcurrency = opts.maxConcurrency ?? shardCount
  const heartbeatInterval = opts.heartbeatInterval ?? 41_250
  const applicationId = opts.applicationId ?? DEFAULT_APP_ID
  const botId = opts.botId ?? DEFAULT_BOT_ID
  const botName = opts.botName ?? DEFAULT_BOT_NAME
  const defaultTimeout = opts.timeoutMs ?? 5_000
  const botUser: APIUser = { id: botId, username: botName, discriminator: '0000', global_name: null, avatar: null, bot: true }

  const requests = new Log<RecordedRequest>(() => recentSummary())
  const frames = new Log<GatewayFrame>(() => recentSummary())
  const commands: CommandRegistration[] = []
  const storedCommands = new Map<string, any[]>() // key: 'global' or guild id
  const identifies: any[] = []
  const resumes: any[] = []
  const interactions = new Map<string, InteractionPayload>()
  const messages = new Map<string, APIMessage>() // key: `${token}/${messageId}`
  const originals = new Map<string, string>() // token -> message id behind @original
  const faults: Array<FaultSpec & { remaining: number }> = []
  const sessions = new Map<number, Session>() // latest session per shard id
  const sockets = new Set<WebSocket>()
  let requestIndex = 0
  let connectionCounter = 0
  let closed = false

  function recentSummary(): string {
    const reqs = requests.items.slice(-8).map((r) => `  ${r.status} ${r.method} ${r.path}`)
    const fr = frames.items
      .slice(-6)
      .map((f) => `  ${f.dir} conn${f.connection} shard=${f.shard ?? '?'} op=${f.op}${f.t ? ` ${f.t}` : ''}`)
    return `Recent requests:\n${reqs.join('\n') || '  (none)'}\nRecent gateway frames:\n${fr.join('\n') || '  (none)'}`
  }

  // ----- REST --------------------------------------------------------------------------------

  const server: Server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      // Never let a bug in the fake surface as a hung request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: `fake-discord internal error: ${String(err)}`, code: 0 }))
    })
  })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const raw = await readBody(req)
    // discord.js percent-encodes '@original' as '%40original'; match on the decoded path.
    const fullPath = decodeURIComponent(url.pathname)
    const path = fullPath.startsWith('/api/v10') ? fullPath.slice('/api/v10'.length) : fullPath
    const method = (req.method ?? 'GET').toUpperCase()
    const { body, files } = parseBody(req.headers['content-type'], raw)
    const record: RecordedRequest = {
      index: requestIndex++,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      files,
      time: Date.now(),
      status: 0,
      injected: false,
      unknownRoute: false,
    }

    let reply = takeFault(method, path)
    if (reply) record.injected = true
    else reply = fullPath.startsWith('/api/v10/') ? route(record) : undefined
    if (!reply) {
      record.unknownRoute = true
      reply = { status: 404, body: { message: `fake-discord: unknown route ${method} ${fullPath}`, code: 0 } }
    }
    record.status = reply.status
    requests.push(record)

    const headers: Record<string, string> = { ...reply.headers }
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers)
      res.end()
    } else {
      headers['content-type'] = 'application/json'
      res.writeHead(reply.status, headers)
      res.end(JSON.stringify(reply.body))
    }
  }

  function takeFault(method: string, path: string): Reply | undefined {
    const i = faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path)),
    )
    if (i === -1) return undefined
    const f = faults[i]!
    if (--f.remaining <= 0) faults.splice(i, 1)
    if (f.status === 429) {
      const retryAfter = f.retryAfter ?? 0.1
      const headers: Record<string, string> = { 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' }
      if (f.global) headers['x-ratelimit-global'] = 'true'
      return {
        status: 429,
        headers,
        body: f.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: Boolean(f.global) },
      }
    }
    return { status: f.status, body: f.body ?? { message: `Injected ${f.status}`, code: 0 } }
  }

  function route(r: RecordedRequest): Reply | undefined {
    const { method, path } = r
    let m: RegExpExecArray | null

    if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
      const gateway: Record<string, unknown> = { url: fake.gatewayUrl }
      if (path === '/gateway/bot') {
        gateway.shards = shardCount
        gateway.session_start_limit = { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: maxConcurrency }
      }
      return { status: 200, body: gateway }
    }
    if (method === 'GET' && (path === '/applications/@me' || path === '/oauth2/applications/@me')) {
      return {
        status: 200,
        body: { id: applicationId, name: botName, icon: null, description: '', flags: 0, bot_public: false, bot: botUser },
      }
    }
    if (method === 'GET' && path === '/users/@me') return { status: 200, body: botUser }

    // Command registration (bulk overwrite) and listing.
    if ((m = /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/.exec(path))) {
      const [, appId, guildId] = m
      const key = guildId ?? 'global'
      if (method === 'PUT') {
        const input: any[] = Array.isArray(r.body) ? r.body : []
        const saved = input.map((c) => ({
          type: 1,
          description: '',
          options: [],
          default_member_permissions: null,
          nsfw: false,
          ...c,
          id: snowflake(),
          application_id: appId!,
          version: snowflake(),
          ...(guildId ? { guild_id: guildId } : {}),
        }))
        storedCommands.set(key, saved)
        commands.push({ scope: guildId ? 'guild' : 'global', applicationId: appId!, guildId, body: input, request: r })
        return { status: 200, body: saved }
      }
      if (method === 'GET') return { status: 200, body: storedCommands.get(key) ?? [] }
    }

    // Interaction callback: unauthenticated, may carry ?with_response=...
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      return interactionCallback(m[1]!, m[2]!, r)
    }

    // Interaction webhook: followUp (POST), and message GET/PATCH/DELETE incl. @original.
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path))) {
      const [, , token, messageRef] = m
      if (!messageRef && method === 'POST') {
        const msg = storeMessage(token!, r)
        return r.query.wait === 'true' ? { status: 200, body: msg } : { status: 204 }
      }
      if (messageRef) {
        const id = messageRef === '@original' ? originals.get(token!) : messageRef
        const existing = id ? messages.get(`${token}/${id}`) : undefined
        if (method === 'GET') return existing ? { status: 200, body: existing } : unknownMessage()
        if (method === 'DELETE') {
          if (!existing) return unknownMessage()
          messages.delete(`${token}/${id}`)
          return { status: 204 }
        }
        if (method === 'PATCH') {
          if (!existing) return unknownMessage()
          const edited = mergeMessage(existing, r)
          edited.edited_timestamp = new Date().toISOString()
          edited.flags = ((edited.flags ?? 0) & ~128) as MessageFlags // editing a deferred reply ends 'thinking'
          messages.set(`${token}/${edited.id}`, edited)
          return { status: 200, body: edited }
        }
      }
    }
    return undefined
  }

  function unknownMessage(): Reply {
    return { status: 404, body: { message: 'Unknown Message', code: 10008 } }
  }

  function channelFor(token: string): string {
    return interactions.get(token)?.channel_id ?? DEFAULT_CHANNEL_ID
  }

  function mergeMessage(base: APIMessage, r: RecordedRequest): APIMessage {
    const msg: APIMessage = { ...base }
    const body = (r.body ?? {}) as Record<string, unknown>
    for (const key of MESSAGE_FIELDS) {
      if (key in body) (msg as unknown as Record<string, unknown>)[key] = body[key] ?? (key === 'content' ? '' : [])
    }
    if (Array.isArray(body.attachments) || r.files.length) {
      // Attachments in a request are descriptors ({id, filename}); give them fake CDN fields.
      const described = Array.isArray(body.attachments) ? (body.attachments as Array<{ filename?: string }>) : []
      const names = described.length ? described.map((a) => a.filename ?? 'file') : r.files.map((f) => f.filename)
      msg.attachments = names.map((filename, i) => ({
        id: snowflake(),
        filename,
        size: r.files[i]?.size ?? 0,
        url: `${fake.apiUrl}/attachments/${filename}`,
        proxy_url: `${fake.apiUrl}/attachments/${filename}`,
      }))
    }
    if (typeof msg.flags !== 'number') msg.flags = 0 as MessageFlags
    return msg
  }

  /** Create a message sent through the interaction webhook (reply, deferred reply, followUp). */
  function storeMessage(token: string, r: RecordedRequest, extraFlags = 0): APIMessage {
    const base = makeMessage({ channel_id: channelFor(token) }, botUser)
    const msg = mergeMessage(
      { ...base, webhook_id: applicationId, application_id: applicationId } as APIMessage,
      r,
    )
    msg.flags = (msg.flags ?? 0) | extraFlags
    messages.set(`${token}/${msg.id}`, msg)
    return msg
  }

  function interactionCallback(interactionId: string, token: string, r: RecordedRequest): Reply {
    const body = (r.body ?? {}) as { type?: number; data?: Record<string, unknown> }
    const interaction = interactions.get(token)
    const type = body.type
    const dataRecord: RecordedRequest = { ...r, body: body.data ?? {} }
    let resource: { type: number; message?: APIMessage } | undefined
    if (type === 4 || type === 5) {
      // 4 = reply, 5 = deferred reply: both create the @original message (deferred shows "thinking").
      const msg = storeMessage(token, dataRecord, type === 5 ? 128 /* LOADING */ : 0)
      originals.set(token, msg.id)
      resource = { type, message: msg }
    } else if (type === 6 || type === 7) {
      // 6 = deferred update, 7 = update: @original is the message carrying the component.
      const base = interaction?.message ?? makeMessage({ channel_id: channelFor(token) }, botUser)
      const msg = type === 7 ? mergeMessage(base, dataRecord) : { ...base }
      messages.set(`${token}/${msg.id}`, msg)
      originals.set(token, msg.id)
      resource = { type, message: msg }
    } else if (type !== undefined) {
      resource = { type } // 8 autocomplete, 9 modal, ...
    }
    if (r.query.with_response !== 'true') return { status: 204 }
    const flags = resource?.message?.flags ?? 0
    return {
      status: 200,
      body: {
        interaction: {
          id: interactionId,
          type: interaction?.type ?? 2,
          response_message_id: resource?.message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: (flags & 64) !== 0,
        },
        resource,
      },
    }
  }

  // ----- Gateway -----------------------------------------------------------------------------

  const wss = new WebSocketServer({ server, path: '/gateway' })

  function send(conn: Connection, payload: { op: number; t?: string | null; s?: number | null; d: unknown }): void {
    frames.push({ index: frames.items.length, dir: 'out', connection: conn.id, shard: conn.session?.shard[0], ...payload, time: Date.now() })
    conn.socket.send(JSON.stringify(payload))
  }

  function sendDispatch(conn: Connection, session: Session, t: string, d: unknown): void {
    send(conn, { op: 0, t, s: ++session.seq, d })
  }

  const connections = new Map<WebSocket, Connection>()

  wss.on('connection', (socket) => {
    const conn: Connection = { id: ++connectionCounter, socket, session: null }
    sockets.add(socket)
    connections.set(socket, conn)
    socket.on('message', (data: RawData, isBinary: boolean) => onFrame(conn, data, isBinary))
    socket.on('close', () => {
      sockets.delete(socket)
      connections.delete(socket)
      if (conn.session && conn.session.socket === socket) conn.session.socket = null
    })
    socket.on('error', () => {
      /* the client went away; 'close' follows */
    })
    send(conn, { op: 10, d: { heartbeat_interval: heartbeatInterval } })
  })

  function onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: { op: number; d: any }
    try {
      if (isBinary) throw new Error('binary frame')
      payload = JSON.parse(data.toString()) as { op: number; d: any }
    } catch {
      conn.socket.close(4002, 'Error while decoding payload.')
      return
    }
    frames.push({ index: frames.items.length, dir: 'in', connection: conn.id, shard: conn.session?.shard[0], op: payload.op, d: payload.d, time: Date.now() })

    switch (payload.op) {
      case 1: // heartbeat
        send(conn, { op: 11, d: null })
        break
      case 2: {
        // IDENTIFY: always starts a fresh session for the shard (replacing any earlier one).
        const d = payload.d ?? {}
        identifies.push(d)
        const shard: [number, number] = Array.isArray(d.shard) ? [d.shard[0], d.shard[1]] : [0, 1]
        const session: Session = { id: randomUUID().replace(/-/g, ''), shard, seq: 0, socket: conn.socket }
        const previous = sessions.get(shard[0])
        if (previous?.socket && previous.socket !== conn.socket) previous.socket.close(4000, 'Session replaced')
        sessions.set(shard[0], session)
        conn.session = session
        sendDispatch(conn, session, 'READY', {
          v: 10,
          user: { ...botUser, verified: true, mfa_enabled: false, flags: 0 },
          // Every listed guild would need a GUILD_CREATE, or discord.js waits 15 s before ready.
          guilds: [],
          session_id: session.id,
          resume_gateway_url: fake.gatewayUrl,
          application: { id: applicationId, flags: 0 },
          ...(Array.isArray(d.shard) ? { shard } : {}),
        })
        break
      }
      case 6: {
        // RESUME: only sessions we handed out can be resumed; otherwise op 9 (not resumable).
        const d = payload.d ?? {}
        const session = [...sessions.values()].find((s) => s.id === d.session_id)
        if (!session) {
          send(conn, { op: 9, d: false })
          break
        }
        resumes.push(d)
        session.socket = conn.socket
        conn.session = session
        sendDispatch(conn, session, 'RESUMED', {})
        break
      }
      default:
        break // presence updates, guild member requests, ...: recorded, otherwise ignored
    }
  }

  function liveSession(shard: number): { session: Session; conn: Connection } | undefined {
    const session = sessions.get(shard)
    const socket = session?.socket
    if (!session || !socket || socket.readyState !== WebSocket.OPEN) return undefined
    const conn = connections.get(socket)
    return conn ? { session, conn } : undefined
  }

  function routeShard(d: unknown, explicit?: number): number {
    if (explicit !== undefined) return explicit
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id
    if (typeof guildId !== 'string') return 0
    return Number((BigInt(guildId) >> 22n) % BigInt(shardCount))
  }

  function isSessionStart(shard: number) {
    return (f: GatewayFrame) =>
      f.dir === 'out' && f.op === 0 && (f.t === 'READY' || f.t === 'RESUMED') && f.shard === shard
  }

  // ----- Public object -----------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  const fake: FakeDiscord = {
    port,
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: `ws://127.0.0.1:${port}/gateway`,
    applicationId,
    botId,
    requests: requests.items,
    frames: frames.items,
    commands,
    identifies,
    resumes,
    interactions,

    failNext(spec) {
      faults.push({ ...spec, remaining: spec.times ?? 1 })
    },

    async dispatch(t, d, dopts = {}) {
      const shard = routeShard(d, dopts.shard)
      await fake.whenShardReady(shard, dopts.timeoutMs)
      const live = liveSession(shard)
      if (!live) throw new Error(`fake-discord: shard ${shard} lost its session before dispatching ${t}`)
      if (t === 'INTERACTION_CREATE') interactions.set((d as InteractionPayload).token, d as InteractionPayload)
      sendDispatch(live.conn, live.session, t, d)
    },

    async interact(payload, dopts = {}) {
      const timeoutMs = dopts.timeoutMs ?? defaultTimeout
      const prefix = `/interactions/${payload.id}/`
      // Start waiting before dispatching so a fast reply cannot be missed.
      const callback = requests.waitFor(
        (r) => r.method === 'POST' && r.path.startsWith(prefix) && r.path.endsWith('/callback') && r.status < 300,
        timeoutMs,
        `a callback for interaction ${payload.id} (${describePayload(payload)})`,
      )
      callback.catch(() => undefined) // if dispatch throws, report that error instead
      await fake.dispatch('INTERACTION_CREATE', payload, dopts)
      return callback
    },

    waitFor(predicate, timeoutMs = defaultTimeout, what = 'a matching request') {
      return requests.waitFor(predicate, timeoutMs, what)
    },

    waitForEditReply(payload, timeoutMs = defaultTimeout) {
      const path = `/webhooks/${payload.application_id}/${payload.token}/messages/@original`
      return requests.waitFor(
        (r) => r.method === 'PATCH' && r.path === path && r.status < 300,
        timeoutMs,
        `editReply (PATCH @original) for interaction ${payload.id} (${describePayload(payload)})`,
      )
    },

    waitForFrame(predicate, timeoutMs = defaultTimeout, what = 'a matching gateway frame') {
      return frames.waitFor(predicate, timeoutMs, what)
    },

    requestsFor(payload) {
      return requests.items.filter(
        (r) => r.path.startsWith(`/interactions/${payload.id}/`) || r.path.startsWith(`/webhooks/${payload.application_id}/${payload.token}`),
      )
    },

    message(token, messageId = '@original') {
      const id = messageId === '@original' ? originals.get(token) : messageId
      return id ? messages.get(`${token}/${id}`) : undefined
    },

    async whenShardReady(shard, timeoutMs = defaultTimeout) {
      if (liveSession(shard)) return
      // Wait for the next READY/RESUMED on that shard.
      const after = frames.items.length
      await frames.waitFor(
        (f) => f.index >= after && isSessionStart(shard)(f),
        timeoutMs,
        `shard ${shard} to have a live gateway session (is the client logged in and using ${shardCount} shard(s)?)`,
      )
    },

    async reconnect(shard = 0, timeoutMs = defaultTimeout) {
      const live = liveSession(shard)
      if (!live) throw new Error(`fake-discord: shard ${shard} has no live session to reconnect`)
      const after = frames.items.length
      const resumed = frames.waitFor(
        (f) => f.index >= after && f.t === 'RESUMED' && f.shard === shard,
        timeoutMs,
        `shard ${shard} to RESUME after op 7`,
      )
      send(live.conn, { op: 7, d: null })
      await resumed
    },

    // Re-identifying waits for @discordjs/ws' identify throttle (up to ~6.5 s), hence the longer default.
    async invalidateSession(shard = 0, resumable = false, timeoutMs = Math.max(defaultTimeout, 15_000)) {
      const live = liveSession(shard)
      if (!live) throw new Error(`fake-discord: shard ${shard} has no live session to invalidate`)
      const after = frames.items.length
      const back = frames.waitFor(
        (f) => f.index >= after && isSessionStart(shard)(f),
        timeoutMs,
        `shard ${shard} to identify/resume after op 9`,
      )
      if (!resumable) sessions.delete(shard) // a RESUME of it will now be refused
      send(live.conn, { op: 9, d: resumable })
      await back
    },

    disconnect(shard = 0, code = 4000) {
      sessions.get(shard)?.socket?.close(code, 'fake-discord disconnect')
    },

    async close() {
      if (closed) return
      closed = true
      requests.rejectAll('closed while waiting')
      frames.rejectAll('closed while waiting')
      for (const socket of sockets) socket.terminate()
      sockets.clear()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections() // keep-alive REST sockets would otherwise hold vitest open
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return fake
}

function describePayload(p: InteractionPayload): string {
  const data = p.data ?? {}
  const what = typeof data.name === 'string' ? `/${data.name}` : typeof data.custom_id === 'string' ? `component ${data.custom_id}` : ''
  return `type ${p.type} ${what}`.trim()
}

// ---------------------------------------------------------------------------------------------
// Client-side helpers
// ---------------------------------------------------------------------------------------------

/**
 * Log a client in and wait for `clientReady` (discord.js 14.28 name; `ready` is deprecated).
 * The listener is attached before login so the event cannot be missed.
 */
export async function loginAndWaitReady(client: Client, token = DEFAULT_TOKEN, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  let onReady: (() => void) | undefined
  const ready = new Promise<void>((resolve, reject) => {
    onReady = () => resolve()
    client.once('clientReady', onReady)
    timer = setTimeout(() => reject(new Error(`fake-discord: client not ready after ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.all([client.login(token), ready])
  } finally {
    clearTimeout(timer)
    if (onReady) client.off('clientReady', onReady)
  }
}

export interface RejectionTrap {
  /** Reasons of unhandled rejections seen since the trap was installed. */
  readonly errors: unknown[]
  /** Throw if any unhandled rejection was seen (use in afterEach/afterAll). */
  assertNone(): void
  dispose(): void
}

/**
 * Collect unhandled rejections: a malformed payload makes discord.js throw inside its gateway
 * handler, which otherwise only shows up as a test timeout.
 */
export function trapUnhandledRejections(): RejectionTrap {
  const errors: unknown[] = []
  const listener = (reason: unknown): void => {
    errors.push(reason)
  }
  process.on('unhandledRejection', listener)
  return {
    errors,
    assertNone() {
      if (errors.length) {
        const list = errors.map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e))).join('\n---\n')
        throw new Error(`${errors.length} unhandled rejection(s):\n${list}`)
      }
    },
    dispose() {
      process.off('unhandledRejection', listener)
    },
  }
}
