import type { TocEntry } from './types.js'

/**
 * The order courses are listed in: in /toc, in autocomplete, in the `course` choices and wherever else the
 * library lists courses. COURSE_ORDER changes it; courses it does not name follow, by name.
 */
export const DEFAULT_COURSE_ORDER: readonly string[] = ['深入剖析Kubernetes', 'Kubernetes 从上手到实践']

/** COURSE_ORDER's value as a list: comma-separated names, trimmed; empty or unset gives the default. */
export function parseCourseOrder(raw: string | undefined): string[] {
  const names = [...new Set((raw ?? '').split(',').map((name) => name.trim()).filter(Boolean))]
  return names.length > 0 ? names : [...DEFAULT_COURSE_ORDER]
}

/** TOC entries by course in `order`, each course's chapters in sidebar order. */
export function inCourseOrder(toc: readonly TocEntry[], order: readonly string[]): TocEntry[] {
  const rank = (course: string) => {
    const at = order.indexOf(course)
    return at < 0 ? order.length : at
  }
  return [...toc].sort((a, b) => rank(a.course) - rank(b.course) || (rank(a.course) === order.length ? a.course.localeCompare(b.course) : 0) || a.position - b.position)
}
