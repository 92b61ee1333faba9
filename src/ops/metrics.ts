import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { HandledEvent } from '../bot/dispatcher.js'
import type { Library } from '../library/library.js'

/** Latency buckets in seconds: searches take milliseconds; a handler must finish well inside Discord's 3 s. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

export interface Metrics {
  registry: Registry
  /** Feed from the dispatcher's `onHandled`. */
  record(event: HandledEvent): void
}

/** Prometheus metrics of the bot: per-command outcomes, latencies, feedback, library size and the process. */
export function createMetrics(library: Library): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const interactions = new Counter({
    name: 'coursebot_interactions_total',
    help: 'Interactions handled, by command and outcome (answered, empty, error, cooldown).',
    labelNames: ['command', 'outcome'],
    registers: [registry],
  })
  const handlerSeconds = new Histogram({
    name: 'coursebot_handler_duration_seconds',
    help: 'Time to handle an interaction, by command.',
    labelNames: ['command'],
    buckets: BUCKETS,
    registers: [registry],
  })
  const searchSeconds = new Histogram({ name: 'coursebot_search_duration_seconds', help: 'Time of one library search.', buckets: BUCKETS, registers: [registry] })
  const feedback = new Counter({ name: 'coursebot_feedback_total', help: 'Answer feedback clicks, by vote (up, down).', labelNames: ['vote'], registers: [registry] })
  let asked = 0
  let unanswered = 0
  new Gauge({
    name: 'coursebot_ask_no_result_ratio',
    help: 'Share of /ask questions answered with no results, since start.',
    registers: [registry],
    // Across shards, the average share (prom-client would otherwise sum them).
    aggregator: 'average',
    collect() {
      this.set(asked === 0 ? 0 : unanswered / asked)
    },
  })
  const stats = library.stats()
  // Every shard loads the same library: across shards its size is taken once, not summed.
  new Gauge({ name: 'coursebot_library_chapters', help: 'Chapters in the library (with and without text).', registers: [registry], aggregator: 'first' }).set(stats.chapters)
  new Gauge({ name: 'coursebot_library_passages', help: 'Course passages in the library (reader comments excluded).', registers: [registry], aggregator: 'first' }).set(stats.passages)
  // Counters start at 0 for the outcomes an operator alerts on, so rate() works before the first error.
  for (const outcome of ['answered', 'empty', 'error', 'cooldown']) interactions.labels('ask', outcome).inc(0)
  for (const vote of ['up', 'down']) feedback.labels(vote).inc(0)

  library.onSearch((ms) => searchSeconds.observe(ms / 1000))
  return {
    registry,
    record(event) {
      interactions.labels(event.command, event.outcome).inc()
      handlerSeconds.labels(event.command).observe(event.ms / 1000)
      if (event.feedback) feedback.labels(event.feedback).inc()
      if (event.command === 'ask' && (event.outcome === 'answered' || event.outcome === 'empty')) {
        asked++
        if (event.outcome === 'empty') unanswered++
      }
    },
  }
}
