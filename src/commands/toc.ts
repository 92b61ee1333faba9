import type { Library } from '../library/library.js'
import { OptionType } from '../render/discord-enums.js'
import { tocReply } from '../render/replies.js'
import type { Locale } from '../render/strings.js'
import { courseCode, courseFromCode, courseOption, resolveCourseOption, unknownCourseReply } from './options.js'
import type { Command } from './types.js'

/** Chapters per page: ten links with long percent-encoded Chinese URLs stay well inside 4,096 characters. */
export const TOC_PAGE_SIZE = 10

function page(library: Library, course: string | undefined, requested: number, locale: Locale) {
  const chapters = library.tocChapters(course)
  const pages = Math.max(1, Math.ceil(chapters.length / TOC_PAGE_SIZE))
  const current = Math.min(Math.max(1, Math.trunc(requested) || 1), pages)
  const code = courseCode(library, course)
  return tocReply({
    lines: chapters.slice((current - 1) * TOC_PAGE_SIZE, current * TOC_PAGE_SIZE).map((chapter) => ({ chapter })),
    page: current,
    pages,
    locale,
    previousId: current > 1 ? `toc:${code}:${current - 1}` : undefined,
    nextId: current < pages ? `toc:${code}:${current + 1}` : undefined,
  })
}

export const toc: Command = {
  mainOption: { name: 'page', number: true },
  definition: {
    name: 'toc',
    name_localizations: { 'zh-CN': '目录' },
    description: 'The chapters of both courses, with links',
    description_localizations: { 'zh-CN': '两门课的章节目录和链接' },
    options: [
      courseOption,
      {
        type: OptionType.Integer,
        name: 'page',
        name_localizations: { 'zh-CN': '页码' },
        description: 'Page number',
        description_localizations: { 'zh-CN': '第几页' },
        required: false,
        min_value: 1,
        max_value: 1000,
      },
    ],
  },

  run(input, library, locale) {
    const course = resolveCourseOption(library, input.options.course)
    if (!course.ok) return unknownCourseReply(course.input, locale)
    return page(library, course.course, Number(input.options.page ?? 1), locale)
  },

  buttonPrefix: 'toc',
  button(input, library, locale) {
    const [, code, pageText] = input.customId.split(':')
    return { kind: 'update', payload: page(library, courseFromCode(library, code), Number(pageText), locale) }
  },
}
