import type { Logger } from 'pino'
import { commandForButton, commandNamed } from '../commands/registry.js'
import type { FeedbackEvent, OptionValue } from '../commands/types.js'
import type { Library } from '../library/library.js'
import type { Choice, MessagePayload } from '../render/payload.js'
import { helpReply, notice } from '../render/replies.js'
import { strings, type Locale } from '../render/strings.js'
import { Cooldown } from './cooldown.js'
import { FeedbackLog } from './feedback.js'

type Options = Readonly<Record<string, OptionValue | undefined>>

/** An interaction as both adapters (Discord and console) describe it. */
export type Incoming =
  | { type: 'command'; name: string; options: Options; userId: string; locale: Locale }
  | { type: 'autocomplete'; name: string; focused: string; value: string; options: Options; userId: string; locale: Locale }
  | { type: 'button'; customId: string; message: Pick<MessagePayload, 'embeds'>; messageId: string; userId: string; locale: Locale }

export type Response =
  | { type: 'reply'; payload: MessagePayload }
  | { type: 'update'; payload: MessagePayload }
  | { type: 'choices'; choices: Choice[] }

/** How an interaction ended, for logs and metrics. */
export type Outcome = 'answered' | 'empty' | 'cooldown' | 'error'

export interface HandledEvent {
  /** Command name, or the button's command with ":button" / ":autocomplete". */
  command: string
  outcome: Outcome
  ms: number
  feedback?: FeedbackEvent['vote']
}

export interface DispatcherOptions {
  library: Library
  logger: Logger
  askCooldown: { uses: number; perSeconds: number }
  /** Called after each interaction; the metrics module listens here. */
  onHandled?: (event: HandledEvent) => void
}

/**
 * Routes an interaction to its command and turns whatever happens into a response: the cooldown on /ask,
 * feedback clicks, and errors (a short apology to the user, the full error in the log). It never throws,
 * so no interaction is left unanswered.
 */
export class Dispatcher {
  private readonly cooldown: Cooldown
  private readonly feedback: FeedbackLog

  constructor(private readonly options: DispatcherOptions) {
    this.cooldown = new Cooldown(options.askCooldown.uses, options.askCooldown.perSeconds)
    this.feedback = new FeedbackLog(options.logger)
  }

  get library(): Library {
    return this.options.library
  }

  dispatch(incoming: Incoming): Response {
    const started = performance.now()
    const name = incoming.type === 'button' ? `${incoming.customId.split(':')[0]}:button` : incoming.type === 'autocomplete' ? `${incoming.name}:autocomplete` : incoming.name
    let outcome: Outcome = 'answered'
    let vote: FeedbackEvent['vote'] | undefined
    let response: Response
    try {
      response = this.route(incoming, (o) => (outcome = o), (v) => (vote = v))
    } catch (error) {
      outcome = 'error'
      this.options.logger.error({ err: error, interaction: describe(incoming) }, 'handler failed')
      response = incoming.type === 'autocomplete' ? { type: 'choices', choices: [] } : { type: 'reply', payload: notice(strings(incoming.locale).error) }
    }
    this.options.onHandled?.({ command: name, outcome, ms: performance.now() - started, ...(vote ? { feedback: vote } : {}) })
    return response
  }

  private route(incoming: Incoming, setOutcome: (o: Outcome) => void, setVote: (v: FeedbackEvent['vote']) => void): Response {
    const { library } = this.options
    const t = strings(incoming.locale)
    if (incoming.type === 'autocomplete') {
      const command = commandNamed(incoming.name)
      return { type: 'choices', choices: command?.autocomplete?.(incoming, library, incoming.locale) ?? [] }
    }
    if (incoming.type === 'button') {
      const command = commandForButton(incoming.customId)
      if (!command?.button) return { type: 'reply', payload: notice(t.error) }
      const outcome = command.button(incoming, library, incoming.locale)
      if (outcome.kind !== 'feedback') return { type: outcome.kind, payload: outcome.payload }
      setVote(outcome.feedback.vote)
      const { replaced } = this.feedback.record(outcome.feedback, incoming.userId, incoming.messageId)
      return { type: 'reply', payload: notice(replaced ? t.feedbackUpdated : t.thanks) }
    }
    const command = commandNamed(incoming.name)
    if (!command) return { type: 'reply', payload: helpReply(incoming.locale) }
    if (command.cooldown) {
      const wait = this.cooldown.take(incoming.userId)
      if (wait > 0) {
        setOutcome('cooldown')
        return { type: 'reply', payload: notice(t.cooldown(wait)) }
      }
    }
    const payload = command.run(incoming, library, incoming.locale)
    // An answer without buttons is a notice: nothing found, or a question that could not be asked.
    if (command.emptyWithoutButtons && payload.components.length === 0) setOutcome('empty')
    return { type: 'reply', payload }
  }
}

/** What is logged of an interaction: never more than its kind, name and options. */
function describe(incoming: Incoming): Record<string, unknown> {
  return incoming.type === 'button' ? { type: incoming.type, customId: incoming.customId } : { type: incoming.type, name: incoming.name, options: incoming.options }
}
