import type { APIButtonComponent, APIEmbed } from 'discord-api-types/payloads/v10'
import type { Chapter } from '../corpus/types.js'
import type { SearchHit } from '../library/library.js'
import { answerShape, type AnswerShape } from '../library/answer-shape.js'
import { chapterLink, passageLink } from '../library/links.js'
import { fit, LIMITS } from './limits.js'
import { ButtonStyle, ComponentType } from './discord-enums.js'
import { codeBlock, excerpt } from './excerpt.js'
import { escapeText, link } from './markdown.js'
import { EPHEMERAL, type MessagePayload } from './payload.js'
import { strings, type Locale } from './strings.js'

const NO_MENTIONS = { parse: [] as [] }
const BRAND_COLOR = 0x326ce5 // Kubernetes blue

/** Marks the question in an answer's footer, where buttons read it back: footers show text as is. */
export const QUESTION_MARK = '❓ '

export interface ButtonSpec {
  label: string
  customId: string
  emoji?: string
  disabled?: boolean
  style?: ButtonStyle
}

function button(spec: ButtonSpec): APIButtonComponent {
  if (spec.customId.length > LIMITS.customId) throw new Error(`custom_id longer than ${LIMITS.customId}: ${spec.customId}`)
  return {
    type: ComponentType.Button,
    style: spec.style ?? ButtonStyle.Secondary,
    label: fit(spec.label, LIMITS.buttonLabel),
    custom_id: spec.customId,
    ...(spec.emoji ? { emoji: { name: spec.emoji } } : {}),
    ...(spec.disabled ? { disabled: true } : {}),
  }
}

/** Buttons in rows of at most five, at most five rows. */
function rows(buttons: ButtonSpec[]): MessagePayload['components'] {
  const out: MessagePayload['components'] = []
  for (let i = 0; i < buttons.length && out.length < LIMITS.actionRows; i += LIMITS.buttonsPerRow) {
    out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow).map(button) })
  }
  return out
}

function message(parts: { content?: string; embeds?: APIEmbed[]; buttons?: ButtonSpec[]; ephemeral?: boolean }): MessagePayload {
  return {
    ...(parts.content !== undefined ? { content: fit(parts.content, LIMITS.content) } : {}),
    embeds: parts.embeds ?? [],
    components: rows(parts.buttons ?? []),
    ...(parts.ephemeral ? { flags: EPHEMERAL } : {}),
    allowed_mentions: NO_MENTIONS,
  }
}

/** A short text reply: notices, errors, thanks. */
export function notice(text: string, ephemeral = true): MessagePayload {
  return message({ content: text, ephemeral })
}

export function chapterLabel(chapter: Chapter): string {
  return `${chapter.course} · ${chapter.title}`
}

function hitBlock(hit: SearchHit, locale: Locale, textBudget: number, shape: AnswerShape | undefined): string {
  const t = strings(locale)
  const chapterUrl = chapterLink(hit.chapter)
  const header = `**${hit.rank}.** ${link(chapterLabel(hit.chapter), chapterUrl)}`
  const heading = hit.heading ? `\n> ${escapeText(fit(hit.heading, 200))}` : ''
  if (hit.kind === 'title') return `${header}${heading}\n*${t.titleOnly}*`
  const body = excerpt(hit.text, hit.terms, textBudget, shape)
  const code = codeBlock(hit.code, hit.terms, textBudget)
  // The link scrolls the chapter page to the answering sentence.
  const deep = hit.kind !== 'comment' ? ` · ${link(`🔗 ${t.openParagraph}`, passageLink(hit.chapter, body.answer))}` : ''
  return `${header}${heading}\n${body.markdown}${deep}${code ? `\n${code}` : ''}`
}

export interface AnswerView {
  query: string
  hits: SearchHit[]
  /** Chapters to name under the hits, that none of them comes from. */
  otherChapters: Chapter[]
  total: number
  offset: number
  locale: Locale
  ephemeral: boolean
  moreId: string | undefined
  upId: string
  downId: string
}

/** The answer to /ask: one embed with the hits, the question in the footer, and the paging and feedback buttons. */
export function answerReply(view: AnswerView): MessagePayload {
  const t = strings(view.locale)
  const footer = { text: fit(`${QUESTION_MARK}${view.query}`, LIMITS.footerText) }
  if (view.hits.length === 0) {
    const description = fit(t.noAnswer(escapeText(fit(view.query, 300))), LIMITS.embedDescription)
    return message({ embeds: [{ title: t.noAnswerTitle, description, color: BRAND_COLOR, footer }], ephemeral: view.ephemeral })
  }
  const title = t.answerTitle(view.offset + 1, view.offset + view.hits.length, view.total)
  const others = chapterLinksField(t.otherChapters, view.otherChapters)
  // The embed's total (title + description + footer + field) must stay under 6,000 and the description under 4,096:
  // shrink each passage's share until it fits, rather than cutting a link in half.
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - title.length - footer.text.length - (others ? others.name.length + others.value.length : 0))
  const shape = answerShape(view.query)
  let budget = 480
  let description = ''
  do {
    description = view.hits.map((hit) => hitBlock(hit, view.locale, budget, shape)).join('\n\n')
    budget = Math.floor(budget * 0.8)
  } while (description.length > room && budget > 40)
  return message({
    embeds: [{ title, description: fit(description, room), color: BRAND_COLOR, footer, ...(others ? { fields: [others] } : {}) }],
    buttons: [
      { label: t.more, customId: view.moreId ?? 'ask:more:none', emoji: '➡️', disabled: view.moreId === undefined, style: ButtonStyle.Primary },
      { label: t.helpful, customId: view.upId, emoji: '👍' },
      { label: t.notHelpful, customId: view.downId, emoji: '👎' },
    ],
    ephemeral: view.ephemeral,
  })
}

/** A field of chapter links, one a line; a link that would not fit whole is left out, never cut. */
function chapterLinksField(name: string, chapters: readonly Chapter[]): { name: string; value: string } | undefined {
  let value = ''
  for (const chapter of chapters) {
    const line = link(chapterLabel(chapter), chapterLink(chapter))
    if (value.length + line.length + 1 <= LIMITS.fieldValue) value += `${value ? '\n' : ''}${line}`
  }
  return value ? { name, value } : undefined
}

/** Read the question back from an answer message's footer (the state the answer buttons need). */
export function questionOf(embeds: readonly { footer?: { text?: string } | null }[] | undefined): string | undefined {
  const text = embeds?.[0]?.footer?.text
  return text?.startsWith(QUESTION_MARK) ? text.slice(QUESTION_MARK.length) : undefined
}

export interface TocLine {
  chapter: Chapter
}

export interface TocView {
  lines: TocLine[]
  page: number
  pages: number
  locale: Locale
  previousId: string | undefined
  nextId: string | undefined
}

export function tocReply(view: TocView): MessagePayload {
  const t = strings(view.locale)
  const parts: string[] = []
  let course = ''
  for (const { chapter } of view.lines) {
    if (chapter.course !== course) {
      course = chapter.course
      parts.push(`${parts.length > 0 ? '\n' : ''}**${escapeText(course)}**`)
    }
    const number = chapter.number ?? '·'
    parts.push(`\`${number.padStart(2, ' ')}\` ${link(chapter.title, chapterLink(chapter))}${chapter.hasText ? ' 📄' : ''}`)
  }
  return message({
    embeds: [{ title: t.tocTitle(view.page, view.pages), description: fit(parts.join('\n'), LIMITS.embedDescription), color: BRAND_COLOR, footer: { text: t.tocLegend } }],
    buttons: [
      { label: t.previous, customId: view.previousId ?? 'toc:none:prev', emoji: '◀️', disabled: view.previousId === undefined },
      { label: t.next, customId: view.nextId ?? 'toc:none:next', emoji: '▶️', disabled: view.nextId === undefined },
    ],
  })
}

export interface ChapterView {
  chapter: Chapter
  summary: string | undefined
  previous: { chapter: Chapter; customId: string } | undefined
  next: { chapter: Chapter; customId: string } | undefined
  locale: Locale
}

export function chapterReply(view: ChapterView): MessagePayload {
  const t = strings(view.locale)
  const description = view.summary ? escapeText(view.summary) : t.chapterNotIndexed
  const neighbour = (label: string, n: ChapterView['previous']) => (n ? `${label}：${link(n.chapter.title, chapterLink(n.chapter))}` : '')
  const neighbours = [neighbour(t.previousChapter, view.previous), neighbour(t.nextChapter, view.next)].filter(Boolean).join('\n')
  const url = chapterLink(view.chapter)
  return message({
    embeds: [
      {
        title: fit(chapterLabel(view.chapter), LIMITS.embedTitle),
        ...(url ? { url } : {}),
        description: fit(description, LIMITS.embedDescription),
        color: BRAND_COLOR,
        fields: neighbours ? [{ name: t.neighbours, value: fit(neighbours, LIMITS.fieldValue) }] : [],
      },
    ],
    buttons: [
      ...(view.previous ? [{ label: fit(`${t.previousChapter}`, LIMITS.buttonLabel), customId: view.previous.customId, emoji: '◀️' }] : []),
      ...(view.next ? [{ label: fit(`${t.nextChapter}`, LIMITS.buttonLabel), customId: view.next.customId, emoji: '▶️' }] : []),
    ],
  })
}

/**
 * Several chapters fit what was typed: a number that exists in both courses, or a title word several titles
 * share. Ask which one, with a button per chapter (at most a row of five), and say when some are not shown.
 */
export function chapterChoiceReply(input: string, found: readonly Chapter[], customId: (c: Chapter) => string, locale: Locale): MessagePayload {
  const t = strings(locale)
  const shown = found.slice(0, LIMITS.buttonsPerRow)
  const typed = escapeText(fit(input, 100))
  const acrossCourses = new Set(found.map((c) => c.course)).size === found.length && found.every((c) => c.number !== null && c.number === found[0]!.number)
  return message({
    content: acrossCourses ? t.chapterAmbiguous(typed) : t.chapterChoose(typed, found.length, shown.length),
    buttons: shown.map((c) => ({ label: chapterLabel(c), customId: customId(c), style: ButtonStyle.Primary })),
  })
}

export function helpReply(locale: Locale): MessagePayload {
  const t = strings(locale)
  return message({ embeds: [{ title: t.helpTitle, description: t.help, color: BRAND_COLOR }], ephemeral: true })
}
