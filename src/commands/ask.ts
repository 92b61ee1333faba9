import type { Library } from '../library/library.js'
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

function answer(library: Library, query: string, offset: number, course: string | undefined, locale: Locale, ephemeral: boolean) {
  const result = library.search(query, { limit: PAGE_SIZE, offset, course })
  const code = courseCode(library, course)
  const next = offset + PAGE_SIZE
  return answerReply({
    query,
    hits: result.hits,
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
