import type { APIApplicationCommandBasicOption } from 'discord-api-types/payloads/v10'
import type { Library } from '../library/library.js'
import { fit, LIMITS } from '../render/limits.js'
import { parseCourseOrder } from '../corpus/course-order.js'
import { OptionType } from '../render/discord-enums.js'
import { escapeText } from '../render/markdown.js'
import type { Choice, MessagePayload } from '../render/payload.js'
import { notice } from '../render/replies.js'
import { strings, type Locale } from '../render/strings.js'

/**
 * The courses the `course` option offers, in COURSE_ORDER (the settings check it; read here because command
 * definitions are made when they are imported, and `.env` is loaded before).
 */
export const COURSES = parseCourseOrder(process.env.COURSE_ORDER)

export const courseOption: APIApplicationCommandBasicOption = {
  type: OptionType.String,
  name: 'course',
  name_localizations: { 'zh-CN': '课程' },
  description: 'Only this course',
  description_localizations: { 'zh-CN': '只看这一门课' },
  required: false,
  choices: COURSES.map((c) => ({ name: c, value: c })),
}

/** FNV-1a, 32 bits: a course name's slug needs to be short and stable, not secret. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash
}

/**
 * Courses travel in button ids as a short slug of their name ("c" and a hash), or "" for all: ids must fit in
 * 100 characters and course names can be long, and a slug, unlike a position in the course list, stays the same
 * when a course is added, so old buttons keep their course.
 */
export function courseCode(library: Library, course: string | undefined): string {
  return course !== undefined && library.courses().includes(course) ? courseSlug(course) : ''
}

export function courseSlug(course: string): string {
  return `c${fnv1a(course).toString(36)}`
}

export function courseFromCode(library: Library, code: string | undefined): string | undefined {
  if (!code) return undefined
  // Buttons made before slugs carry the course's position in the list as it then was.
  if (/^\d+$/.test(code)) return library.courses()[Number(code)]
  return library.courses().find((course) => courseSlug(course) === code)
}

export type CourseChoice = { ok: true; course: string | undefined } | { ok: false; input: string }

/** The reply to a `course` value that names no course. */
export function unknownCourseReply(input: string, locale: Locale): MessagePayload {
  return notice(strings(locale).unknownCourse(escapeText(fit(input, 100))))
}

export function resolveCourseOption(library: Library, value: unknown): CourseChoice {
  if (typeof value !== 'string' || value.trim() === '') return { ok: true, course: undefined }
  const course = library.resolveCourse(value)
  return course ? { ok: true, course } : { ok: false, input: value }
}

/** Autocomplete choices within Discord's limits: 25 at most, names and values up to 100 characters. */
export function choices(items: readonly { name: string; value: string }[]): Choice[] {
  return items.slice(0, LIMITS.autocompleteChoices).map((i) => ({ name: fit(i.name, LIMITS.choiceName), value: fit(i.value, LIMITS.choiceValue) }))
}

export function stringOption(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : ''
}
