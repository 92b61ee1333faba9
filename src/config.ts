import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCourseOrder } from './corpus/course-order.js'
import { KnownError } from './errors.js'

/** The folder holding package.json, whether this runs from src/ (tsx) or from dist/src/ (the built image). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return from
  }
}

/** The repository root, so that defaults work whatever the working directory. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)))

/** A setting with a bad value. Its message is one line that names the variable and says how to fix it. */
export class ConfigError extends KnownError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
  }
}

type Env = Record<string, string | undefined>

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim()
  return value ? value : fallback
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `"${raw}" is not a whole number from ${min} to ${max}; set e.g. ${name}=${fallback} in .env or unset it`)
  }
  return Number(raw)
}

function httpUrl(env: Env, name: string, fallback: string): string {
  const value = text(env, name, fallback)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(name, `"${value}" is not a URL; set it to an http(s) address such as ${fallback}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `"${value}" must start with http:// or https://, e.g. ${fallback}`)
  }
  return value.replace(/\/+$/, '')
}

function snowflake(env: Env, name: string): string | undefined {
  const value = optional(env, name)
  if (value !== undefined && !/^\d{17,20}$/.test(value)) {
    throw new ConfigError(name, `"${value}" is not a Discord id (17–20 digits); copy it from the Developer Portal or Discord with Developer Mode on`)
  }
  return value
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Settings of the course library: where the corpus is, how URLs are built, where the index is kept. */
export interface LibraryConfig {
  corpusDir: string
  courseBaseUrl: string
  docsBaseUrl: string
  indexPath: string
  /** Corpus pages above this size are skipped with a warning. */
  maxPageBytes: number
  /** The order courses are listed in (COURSE_ORDER). */
  courseOrder: string[]
}

/**
 * INDEX_PATH is rebuilt by renaming a new file over it: it must be a regular file or not exist yet. A folder,
 * FIFO or device there would hang the read or fail the rename.
 */
function indexPath(env: Env): string {
  const file = path.resolve(text(env, 'INDEX_PATH', path.join(PROJECT_ROOT, 'data', 'library.idx')))
  const info = statSync(file, { throwIfNoEntry: false })
  if (info?.isDirectory()) throw new ConfigError('INDEX_PATH', `${file} is a folder; set INDEX_PATH to a file in it, e.g. ${path.join(file, 'library.idx')}`)
  if (info && !info.isFile()) throw new ConfigError('INDEX_PATH', `${file} is not a regular file (a FIFO, socket or device); set INDEX_PATH to a file path such as data/library.idx`)
  return file
}

function courseOrder(env: Env): string[] {
  const order = parseCourseOrder(env.COURSE_ORDER)
  // Each becomes a choice of the `course` option: Discord allows 25, of up to 100 characters.
  if (order.length > 25 || order.some((name) => name.length > 100)) {
    throw new ConfigError('COURSE_ORDER', 'names at most 25 courses of up to 100 characters each, comma-separated; e.g. COURSE_ORDER=深入剖析Kubernetes,Kubernetes 从上手到实践')
  }
  return order
}

export function loadLibraryConfig(env: Env = process.env): LibraryConfig {
  return {
    corpusDir: path.resolve(text(env, 'CORPUS_DIR', path.join(PROJECT_ROOT, 'corpus'))),
    courseBaseUrl: httpUrl(env, 'COURSE_BASE_URL', 'https://learn.lianglianglee.com'),
    docsBaseUrl: httpUrl(env, 'DOCS_BASE_URL', 'https://kubernetes.io/zh-cn/docs'),
    indexPath: indexPath(env),
    maxPageBytes: integer(env, 'CORPUS_MAX_PAGE_MB', 20, 1, 1024) * 1024 * 1024,
    courseOrder: courseOrder(env),
  }
}

export function loadLogLevel(env: Env = process.env): LogLevel {
  const level = text(env, 'LOG_LEVEL', 'info').toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `"${level}" is not a log level; use one of ${LOG_LEVELS.join(', ')}`)
  }
  return level as LogLevel
}

/** Shards: a number, or "auto" to ask Discord how many this bot needs. */
export type ShardCount = number | 'auto'

/** Settings of the bot itself. Without a token the bot runs in console mode. */
export interface BotConfig extends LibraryConfig {
  /** Port of the /healthz and /metrics server; unset = no server. */
  httpPort: number | undefined
  /** Address it listens on (HTTP_HOST): all interfaces by default, as a container's probes need. */
  httpHost: string
  /** With a value, a ShardingManager runs one process per shard; unset = one process, no sharding. */
  shardCount: ShardCount | undefined
  token: string | undefined
  clientId: string | undefined
  guildId: string | undefined
  logLevel: LogLevel
  askCooldown: { uses: number; perSeconds: number }
  /** Discord REST base, for tests against a local fake Discord; unset in production. */
  discordApi: string | undefined
  consoleJson: boolean
  /** "http": serve Discord's signed POSTs on /interactions (HTTP_PORT) instead of logging in to the gateway. */
  interactions: 'gateway' | 'http'
  /** The application's public key (64 hex digits), which HTTP mode verifies every request against. */
  publicKey: string | undefined
}

export function loadBotConfig(env: Env = process.env): BotConfig {
  const token = optional(env, 'DISCORD_TOKEN')
  if (token !== undefined && /\s/.test(token)) {
    throw new ConfigError('DISCORD_TOKEN', 'contains whitespace; paste the bot token from the Developer Portal (Bot → Reset Token) without spaces or quotes')
  }
  const discordApi = optional(env, 'DISCORD_API_URL')
  if (discordApi !== undefined) httpUrl(env, 'DISCORD_API_URL', 'http://127.0.0.1:3000/api')
  const shards = optional(env, 'SHARD_COUNT')
  if (shards !== undefined && shards !== 'auto' && !(/^\d+$/.test(shards) && Number(shards) >= 1 && Number(shards) <= 1000)) {
    throw new ConfigError('SHARD_COUNT', `"${shards}" is neither "auto" nor a whole number from 1 to 1000; set SHARD_COUNT=auto or unset it`)
  }
  const interactions = text(env, 'INTERACTIONS', 'gateway').toLowerCase()
  if (interactions !== 'gateway' && interactions !== 'http') {
    throw new ConfigError('INTERACTIONS', `"${interactions}" is neither "gateway" nor "http"; set INTERACTIONS=http to serve /interactions, or unset it`)
  }
  const publicKey = optional(env, 'DISCORD_PUBLIC_KEY')
  if (interactions === 'http') {
    if (publicKey === undefined || !/^[0-9a-f]{64}$/i.test(publicKey)) {
      throw new ConfigError('DISCORD_PUBLIC_KEY', `${publicKey === undefined ? 'is not set' : 'is not 64 hexadecimal digits'}; INTERACTIONS=http needs it: copy Public Key from Developer Portal → General Information`)
    }
    if (shards !== undefined) throw new ConfigError('SHARD_COUNT', 'shards are gateway connections and INTERACTIONS=http opens none; unset SHARD_COUNT (scale with replicas instead)')
  }
  return {
    ...loadLibraryConfig(env),
    // HTTP mode needs a port to serve /interactions on.
    httpPort: optional(env, 'HTTP_PORT') === undefined ? (interactions === 'http' ? 8080 : undefined) : integer(env, 'HTTP_PORT', 8080, 0, 65_535),
    httpHost: text(env, 'HTTP_HOST', '0.0.0.0'),
    shardCount: shards === undefined ? undefined : shards === 'auto' ? 'auto' : Number(shards),
    token,
    clientId: snowflake(env, 'DISCORD_CLIENT_ID'),
    guildId: snowflake(env, 'DISCORD_GUILD_ID'),
    logLevel: loadLogLevel(env),
    askCooldown: {
      uses: integer(env, 'ASK_COOLDOWN_USES', 5, 1, 1000),
      perSeconds: integer(env, 'ASK_COOLDOWN_SECONDS', 30, 1, 86_400),
    },
    discordApi,
    consoleJson: /^(1|true|yes)$/i.test(env.CONSOLE_JSON?.trim() ?? ''),
    interactions,
    publicKey,
  }
}
