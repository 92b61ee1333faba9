import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import type { FeedbackEvent } from '../commands/types.js'

/** Users are logged by a hash of their id: enough to tell votes apart, not to identify anyone. */
export function hashUser(userId: string): string {
  return createHash('sha256').update(`k8s-course-bot:${userId}`).digest('hex').slice(0, 16)
}

/** The most votes remembered for "a second click replaces the first"; the oldest are forgotten first. */
const MAX_REMEMBERED = 50_000

/** 👍/👎 on answers: each click is logged; a user's second click on the same answer replaces the first. */
export class FeedbackLog {
  private readonly votes = new Map<string, FeedbackEvent['vote']>()

  constructor(private readonly logger: Logger) {}

  /** Records a vote and says whether it replaced an earlier one by the same user on the same answer. */
  record(event: FeedbackEvent, userId: string, messageId: string): { replaced: boolean } {
    const user = hashUser(userId)
    const key = `${messageId}:${event.passageIds.join(',')}:${user}`
    const previous = this.votes.get(key)
    this.votes.delete(key)
    this.votes.set(key, event.vote)
    if (this.votes.size > MAX_REMEMBERED) this.votes.delete(this.votes.keys().next().value!)
    this.logger.info({ feedback: event.vote, query: event.query, passageIds: event.passageIds, user, messageId, replaces: previous ?? null }, 'answer feedback')
    return { replaced: previous !== undefined }
  }
}
