// npm start: the bot on Discord when DISCORD_TOKEN is set (sharded with SHARD_COUNT), or on POST /interactions with
// INTERACTIONS=http, otherwise console mode.
import './cli/top-level.js'
import 'dotenv/config'
import type { Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Client } from 'discord.js'
import type { Registry } from 'prom-client'
import { ConfigError, loadBotConfig, type BotConfig } from './config.js'
import { runConsole, CONSOLE_HELP } from './bot/console.js'
import { Dispatcher } from './bot/dispatcher.js'
import { interactionsEndpoint, INTERACTIONS_PATH } from './bot/interactions-http.js'
import { publicKeyFromHex } from './bot/signature.js'
import { KnownError } from './errors.js'
import type { Library } from './library/library.js'
import { loadLibrary } from './library/store.js'
import { createLogger } from './log.js'
import { startHttpServer, stopHttpServer, type Readiness } from './ops/http-server.js'
import { createMetrics } from './ops/metrics.js'
import { localeOf } from './render/strings.js'

const USAGE = `Usage: npm start [-- --json] [-- --locale en]

With DISCORD_TOKEN set (in .env or the environment), logs in to Discord and serves
/ask, /toc, /chapter and /help (one process per shard with SHARD_COUNT). Without it,
runs console mode:

${CONSOLE_HELP}

  --json          print each reply as its Discord message payload, one JSON line (or CONSOLE_JSON=1)
  --locale en     console replies in English (default zh-CN)

With INTERACTIONS=http and DISCORD_PUBLIC_KEY set, serves Discord's signed interactions
on POST /interactions instead (HTTP_PORT, default 8080); no token, no gateway.

With HTTP_PORT set, serves GET /healthz and GET /metrics on that port.
Settings: see .env.example.`

let args
try {
  args = parseArgs({ options: { json: { type: 'boolean' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true })
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`)
  process.exit(2)
}
if (args.values.help) {
  console.log(USAGE)
  process.exit(0)
}

let config: BotConfig
try {
  config = loadBotConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`Configuration error: ${error.message}\n`)
  process.exit(2)
}

/**
 * How long a stopping bot waits for requests in flight and deferred answers: within Kubernetes' default 30 s grace
 * period, after the HTTP Deployment's 5 s preStop pause, and longer than a deferred answer's three attempts.
 */
const SHUTDOWN_GRACE_MS = 20_000

const logger = createLogger(config.logLevel)
let client: Client | undefined
let server: Server | undefined
let stopShards: (() => void) | undefined
let deferredAnswers: (() => Promise<void>) | undefined
const shutdown = async (signal: string) => {
  logger.info({ signal }, 'shutting down')
  stopShards?.()
  await client?.destroy()
  // A replica leaving a rolling update answers what it has taken on; a second signal ends it at once.
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())
  await Promise.race([Promise.all([server && stopHttpServer(server, SHUTDOWN_GRACE_MS), deferredAnswers?.()]), grace])
  logger.flush()
  process.exit(0)
}
process.once('SIGINT', () => void shutdown('SIGINT'))
process.once('SIGTERM', () => void shutdown('SIGTERM'))

// A server warms its search path once it serves: Library.warmUp yields between questions, so no one waits for it.
const warmUpInBackground = (library: Library) => {
  library.warmUp().then(
    (warmed) => logger.info(warmed, 'search warmed up'),
    (error: unknown) => logger.warn({ err: error }, 'search warm-up failed'),
  )
}

const serveHttp = async (readiness: Readiness, metrics: () => Promise<Registry>, routes: Parameters<typeof startHttpServer>[4] = {}) => {
  if (config.httpPort === undefined) return
  try {
    server = await startHttpServer(config.httpPort, readiness, metrics, config.httpHost, routes)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    throw new KnownError(`HTTP_PORT: port ${config.httpPort} on ${config.httpHost} is already in use; stop what holds it or set HTTP_PORT to a free port`)
  }
  logger.info({ host: config.httpHost, port: config.httpPort, paths: ['/healthz', '/metrics', ...Object.keys(routes)] }, 'serving HTTP')
}

// discord.js takes half a second and 40 MB to load: only the gateway with a token loads it, not HTTP mode (a new
// replica is ready sooner) nor console mode.
const gateway = config.interactions === 'gateway' && config.token ? { ...(await import('./bot/discord.js')), ...(await import('./bot/sharding.js')) } : undefined
const isShardProcess = () => gateway?.isShardProcess() ?? false

if (gateway && config.token && config.shardCount !== undefined && !isShardProcess()) {
  // The manager only supervises: each shard process loads the library and answers on its own.
  const sharded = await gateway.startShards({ entry: fileURLToPath(import.meta.url), token: config.token, totalShards: config.shardCount, logger })
  stopShards = () => sharded.manager.shards.forEach((s) => s.kill())
  await serveHttp(sharded.readiness, sharded.metrics)
} else {
  const loaded = await loadLibrary(config)
  if (loaded.status === 'rebuilt') {
    const { corpus, elapsedMs } = loaded.report
    logger.info({ reason: loaded.reason, passages: corpus.passages.length, ms: Math.round(elapsedMs) }, 'library index rebuilt')
    for (const w of corpus.warnings) logger.warn({ file: w.file, reason: w.reason }, 'corpus file skipped or incomplete')
  }
  const library = loaded.library
  logger.info(library.stats(), 'library loaded')
  const metrics = createMetrics(library)
  const dispatcher = new Dispatcher({ library, logger, askCooldown: config.askCooldown, onHandled: metrics.record })
  if (config.interactions === 'http') {
    const endpoint = interactionsEndpoint({ dispatcher, logger, publicKey: publicKeyFromHex(config.publicKey!), api: config.discordApi ?? 'https://discord.com/api' })
    deferredAnswers = endpoint.settled
    await serveHttp(() => undefined, async () => metrics.registry, { [INTERACTIONS_PATH]: endpoint.listener })
    warmUpInBackground(library)
  } else if (gateway && config.token) {
    // A shard process serves no HTTP of its own: its manager answers for all shards.
    if (!isShardProcess()) await serveHttp(() => (client?.isReady() ? undefined : 'Discord client not connected'), async () => metrics.registry)
    try {
      client = await gateway.startDiscordBot({ token: config.token, dispatcher, logger, api: config.discordApi })
    } catch (error) {
      const message = (error as Error).message
      if ((error as { code?: unknown }).code === 'TokenInvalid' || /token/i.test(message)) {
        throw new KnownError(`DISCORD_TOKEN: Discord rejected the token (${message}); copy it again from the Developer Portal (Bot → Reset Token)`)
      }
      throw new Error(`could not log in to Discord: ${message}; check the network and DISCORD_API_URL`, { cause: error })
    }
    if (isShardProcess()) gateway.exposeShardMetrics(client, metrics)
    warmUpInBackground(library)
  } else {
    logger.info('no DISCORD_TOKEN: console mode')
    await serveHttp(() => undefined, async () => metrics.registry)
    await runConsole({ dispatcher, logger, json: Boolean(args.values.json) || config.consoleJson, locale: localeOf(args.values.locale ?? 'zh-CN') })
    server?.close()
    logger.flush()
  }
}
