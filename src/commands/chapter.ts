import type { Chapter } from '../corpus/types.js'
import type { Library } from '../library/library.js'
import { OptionType } from '../render/discord-enums.js'
import { fit } from '../render/limits.js'
import { escapeText } from '../render/markdown.js'
import { chapterChoiceReply, chapterReply, notice } from '../render/replies.js'
import { strings, type Locale } from '../render/strings.js'
import { choices, courseOption, resolveCourseOption, stringOption, unknownCourseReply } from './options.js'
import type { Command } from './types.js'

/** Autocomplete picks a chapter by its index ("@12"): exact, and short enough for any custom_id. */
const PICK = /^@(\d+)$/

function pickId(library: Library, chapter: Chapter): string {
  return `chapter:${library.chapterIndex(chapter.key)}`
}

function show(library: Library, chapter: Chapter, locale: Locale) {
  const { previous, next } = library.neighbours(chapter.key)
  return chapterReply({
    chapter,
    summary: library.summary(chapter.key),
    previous: previous && { chapter: previous, customId: pickId(library, previous) },
    next: next && { chapter: next, customId: pickId(library, next) },
    locale,
  })
}

function chapterAt(library: Library, index: string): Chapter | undefined {
  return /^\d+$/.test(index) ? library.chapters[Number(index)] : undefined
}

export const chapter: Command = {
  mainOption: { name: 'n' },
  definition: {
    name: 'chapter',
    name_localizations: { 'zh-CN': '章节' },
    description: 'A chapter: its summary, link and neighbours',
    description_localizations: { 'zh-CN': '查看某一章：摘要、链接和前后章节' },
    options: [
      {
        type: OptionType.String,
        name: 'n',
        name_localizations: { 'zh-CN': '章节' },
        description: 'Chapter number (e.g. 13) or words from its title',
        description_localizations: { 'zh-CN': '章节号（如 13）或标题中的词' },
        required: true,
        autocomplete: true,
        max_length: 200,
      },
      courseOption,
    ],
  },

  run(input, library, locale) {
    const t = strings(locale)
    const typed = stringOption(input.options.n)
    const course = resolveCourseOption(library, input.options.course)
    if (!course.ok) return unknownCourseReply(course.input, locale)
    const picked = PICK.exec(typed)
    const direct = picked ? chapterAt(library, picked[1]!) : undefined
    if (direct) return show(library, direct, locale)
    const found = library.findChapters(typed, course.course)
    if (found.length === 0) return notice(t.chapterNotFound(escapeText(fit(typed, 100))))
    if (found.length === 1) return show(library, found[0]!, locale)
    // "13" exists in both courses, "StatefulSet" is in several titles: ask rather than guess.
    return chapterChoiceReply(typed, found, (c) => pickId(library, c), locale)
  },

  autocomplete(input, library) {
    const course = resolveCourseOption(library, input.options.course)
    const within = course.ok ? course.course : undefined
    const typed = input.value.trim()
    const found = typed ? library.findChapters(typed, within) : library.tocChapters(within)
    return choices(found.map((c) => ({ name: `${c.title} · ${c.course}`, value: `@${library.chapterIndex(c.key)}` })))
  },

  buttonPrefix: 'chapter',
  button(input, library, locale) {
    const target = chapterAt(library, input.customId.split(':')[1] ?? '')
    // A custom_id is the client's to forge: it is never echoed.
    return target ? { kind: 'update', payload: show(library, target, locale) } : { kind: 'reply', payload: notice(strings(locale).chapterGone) }
  },
}
