import type { Chapter } from '../corpus/types.js'
import type { Library, SearchHit } from '../library/library.js'
import { OptionType } from '../render/discord-enums.js'
import { fit, LIMITS } from '../render/limits.js'
import { answerReply, notice, questionOf } from '../render/replies.js'
import { strings, type Locale } from '../render/strings.js'
import { choices, courseCode, courseFromCode, courseOption, resolveCourseOption, stringOption, unknownCourseReply } from './options.js'
import type { ButtonOutcome, Command } from './types.js'

/** Answers per page. */
export const PAGE_SIZE = 3
/** Longest question Discord will let a user type; the answer's footer (2,048) holds it whole. */
export const MAX_QUESTION = 1000
/**
 * Chapters named under an answer besides its own: a course chapter is long, so a page's three hits often share one
 * chapter, and the right chapter is then often the next one down (on the docs merged into course-length chapters,
 * the right chapter is among the top 3's chapters for 87% of the 1,775 questions, and for 92% with the next two).
 */
const OTHER_CHAPTERS = 2
/** How many hits past the page are read for them. */
const OTHER_CHAPTERS_DEPTH = 7

/** The chapters of the hits after a page that none of the page's hits comes from, best first. */
function otherChapters(page: readonly SearchHit[], after: readonly SearchHit[]): Chapter[] {
  const seen = new Set(page.map((hit) => hit.chapter.key))
  const others: Chapter[] = []
  for (const hit of after) {
    if (others.length === OTHER_CHAPTERS) break
    if (seen.has(hit.chapter.key)) continue
    seen.add(hit.chapter.key)
    others.push(hit.chapter)
  }
  return others
}

function answer(library: Library, query: string, offset: number, course: string | undefined, locale: Locale, ephemeral: boolean) {
  // The page's hits are the first PAGE_SIZE of a longer search: ranking decides the top hits alike at any limit.
  const result = library.search(query, { limit: PAGE_SIZE + OTHER_CHAPTERS_DEPTH, offset, course })
  const hits = result.hits.slice(0, PAGE_SIZE)
  const code = courseCode(library, course)
  const next = offset + PAGE_SIZE
  return answerReply({
    query,
    hits,
    otherChapters: otherChapters(hits, result.hits.slice(PAGE_SIZE)),
    total: result.total,
    offset,
    locale,
    ephemeral,
    moreId: next < result.total ? `ask:more:${next}:${code}` : undefined,
    upId: `ask:up:${offset}:${code}`,
    downId: `ask:down:${offset}:${code}`,
  })
}

export const ask: Command = {
  cooldown: true,
  mainOption: { name: 'question', suggest: true },
  emptyWithoutButtons: true,
  definition: {
    name: 'ask',
    name_localizations: { 'zh-CN': '提问' },
    description: 'Ask a question about the Kubernetes courses',
    description_localizations: { 'zh-CN': '向两门 Kubernetes 课程提问' },
    options: [
      {
        type: OptionType.String,
        name: 'question',
        name_localizations: { 'zh-CN': '问题' },
        description: 'Your question, in Chinese or English',
        description_localizations: { 'zh-CN': '你的问题，中文或英文都可以' },
        required: true,
        autocomplete: true,
        max_length: MAX_QUESTION,
      },
      courseOption,
      {
        type: OptionType.Boolean,
        name: 'private',
        name_localizations: { 'zh-CN': '仅自己可见' },
        description: 'Show the answer to you only',
        description_localizations: { 'zh-CN': '只有你能看到回答' },
        required: false,
      },
    ],
  },

  run(input, library, locale) {
    const t = strings(locale)
    const query = fit(stringOption(input.options.question), MAX_QUESTION)
    if (!query) return notice(t.emptyQuestion)
    const course = resolveCourseOption(library, input.options.course)
    if (!course.ok) return unknownCourseReply(course.input, locale)
    return answer(library, query, 0, course.course, locale, input.options.private === true)
  },

  autocomplete(input, library) {
    const typed = input.value.trim()
    const suggestions = library.suggest(typed, 25)
    // The user's own words come first, so picking the first choice never loses what they typed; a question
    // longer than a choice can hold is left out rather than offered cut short.
    const items = typed && typed.length <= LIMITS.choiceValue && !suggestions.includes(typed) ? [typed, ...suggestions] : suggestions
    return choices(items.map((s) => ({ name: s, value: s })))
  },

  buttonPrefix: 'ask',
  button(input, library, locale): ButtonOutcome {
    const [, action, offsetText, code] = input.customId.split(':')
    const query = questionOf(input.message.embeds)
    const offset = Number(offsetText)
    if (!query || !Number.isInteger(offset) || offset < 0) return { kind: 'reply', payload: notice(strings(locale).noMore) }
    const course = courseFromCode(library, code)
    if (action === 'more') return { kind: 'update', payload: answer(library, query, offset, course, locale, false) }
    if (action !== 'up' && action !== 'down') return { kind: 'reply', payload: notice(strings(locale).error) }
    const shown = library.search(query, { limit: PAGE_SIZE, offset, course })
    return { kind: 'feedback', feedback: { vote: action, query, passageIds: shown.hits.map((h) => h.id) } }
  },
}
