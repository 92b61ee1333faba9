import { ShardingManager, type Client } from 'discord.js'
import type { Logger } from 'pino'
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client'
import { KnownError } from '../errors.js'
import type { Metrics } from '../ops/metrics.js'

/** True in a process that a ShardingManager spawned (discord.js sets this in the shard's environment). */
export function isShardProcess(): boolean {
  return process.env.SHARDING_MANAGER === 'true'
}

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[]
type ClientWithMetrics = Client & { courseBotMetrics?: () => Promise<MetricsJson> }

/** In a shard: let the manager collect this shard's metrics over the sharding IPC channel. */
export function exposeShardMetrics(client: Client, metrics: Metrics): void {
  ;(client as ClientWithMetrics).courseBotMetrics = () => metrics.registry.getMetricsAsJSON()
}

export interface ShardedBot {
  manager: ShardingManager
  /** Why not every shard is ready yet, or undefined when all are. */
  readiness(): string | undefined
  /** Every shard's metrics, summed. */
  metrics(): Promise<Registry>
}

const SPAWN_TIMEOUT_MS = 60_000

/** Why the shards could not start, as one line; the shard's own log line, above it, says more. */
function spawnFailure(error: unknown, totalShards: number | 'auto'): Error {
  const { code, message } = error as { code?: unknown; message: string }
  const shard = /\d+/.exec(message)?.[0] ?? '?'
  if (code === 'TokenInvalid' || (error as { status?: unknown }).status === 401) {
    return new KnownError(`DISCORD_TOKEN: Discord rejected the token; copy it again from the Developer Portal (Bot → Reset Token)`)
  }
  if (code === 'ShardingReadyDied') {
    return new KnownError(`SHARD_COUNT=${totalShards}: shard ${shard} exited before it was ready (see its log line; usually DISCORD_TOKEN is invalid)`)
  }
  if (code === 'ShardingReadyTimeout') return new KnownError(`SHARD_COUNT=${totalShards}: shard ${shard} was not ready within ${SPAWN_TIMEOUT_MS / 1000} s; check the network and DISCORD_TOKEN`)
  return error instanceof Error ? error : new Error(String(error))
}

/**
 * One process per shard, each running this same entry point and loading its own read-only copy of the
 * library: nothing is shared between shards, so nothing needs locking or a database.
 */
export async function startShards(options: { entry: string; token: string; totalShards: number | 'auto'; logger: Logger }): Promise<ShardedBot> {
  const manager = new ShardingManager(options.entry, {
    token: options.token,
    totalShards: options.totalShards,
    // Under tsx the loader flags must reach the shard processes too, or they cannot run TypeScript.
    execArgv: process.execArgv,
    respawn: true,
  })
  manager.on('shardCreate', (shard) => {
    options.logger.info({ shard: shard.id }, 'shard started')
    shard.on('death', () => options.logger.warn({ shard: shard.id }, manager.respawn ? 'shard process exited; respawning' : 'shard process exited'))
  })
  try {
    await manager.spawn({ timeout: SPAWN_TIMEOUT_MS })
  } catch (error) {
    manager.respawn = false
    manager.shards.forEach((s) => s.kill())
    throw spawnFailure(error, options.totalShards)
  }
  return {
    manager,
    readiness() {
      const waiting = [...manager.shards.values()].filter((s) => !s.ready).map((s) => s.id)
      return manager.shards.size === 0 ? 'no shards spawned' : waiting.length > 0 ? `shards not ready: ${waiting.join(', ')}` : undefined
    },
    async metrics() {
      const perShard = (await manager.broadcastEval((client) => (client as ClientWithMetrics).courseBotMetrics?.() ?? [])) as MetricsJson[]
      return AggregatorRegistry.aggregate(perShard)
    },
  }
}
