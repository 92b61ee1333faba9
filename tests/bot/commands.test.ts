// The command handlers as pure functions: (input, library, locale) → payload. No discord.js here.
import { beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS, commandForButton, commandNamed } from '../../src/commands/registry.js'
import type { ButtonOutcome, Command, OptionValue } from '../../src/commands/types.js'
import type { Library } from '../../src/library/library.js'
import { chapterLink } from '../../src/library/links.js'
import { matchKey } from '../../src/text/normalize.js'
import { courseCode, courseFromCode, courseSlug } from '../../src/commands/options.js'
import type { MessagePayload } from '../../src/render/payload.js'
import { localeOf, strings, type Locale } from '../../src/render/strings.js'
import {
  KEY_CLOSING,
  KEY_SUMMARY,
  SHANGSHOU,
  SHENRU,
  buttonWith,
  buttonsOf,
  hitBlocks,
  hostileQuestion,
  linksIn,
  seedLibrary,
  unescape,
  unescapedMarkdown,
  valid,
  validChoices,
} from './helpers.js'

let library: Library

beforeAll(async () => {
  library = await seedLibrary()
})

function command(name: string): Command {
  const c = commandNamed(name)
  if (!c) throw new Error(`no command ${name}`)
  return c
}

/** Runs a command; every reply is checked against Discord's limits. */
function run(name: string, options: Record<string, OptionValue | undefined>, locale: Locale = 'zh-CN'): MessagePayload {
  return valid(command(name).run({ options }, library, locale))
}

/** Clicks a button of `on`; the outcome's payload (if any) is checked against Discord's limits. */
function click(customId: string, on: Pick<MessagePayload, 'embeds'>, locale: Locale = 'zh-CN'): ButtonOutcome {
  const c = commandForButton(customId)
  if (!c?.button) throw new Error(`no button handler for ${customId}`)
  const outcome = c.button({ customId, message: { embeds: on.embeds } }, library, locale)
  if (outcome.kind !== 'feedback') valid(outcome.payload)
  return outcome
}

function update(customId: string, on: Pick<MessagePayload, 'embeds'>, locale: Locale = 'zh-CN'): MessagePayload {
  const outcome = click(customId, on, locale)
  if (outcome.kind !== 'update') throw new Error(`expected an update, got ${JSON.stringify(outcome)}`)
  return outcome.payload
}

function complete(name: string, focused: string, value: string, options: Record<string, OptionValue> = {}) {
  const c = command(name)
  return validChoices(c.autocomplete!({ focused, value, options: { ...options, [focused]: value } }, library, 'zh-CN'))
}

const embed = (p: MessagePayload) => {
  expect(p.embeds).toHaveLength(1)
  return p.embeds[0]!
}

describe('command registry', () => {
  it('lists ask, toc, chapter and help, and routes buttons by prefix', () => {
    expect(COMMANDS.map((c) => c.definition.name)).toEqual(['ask', 'toc', 'chapter', 'help'])
    expect(commandNamed('ask')?.definition.name).toBe('ask')
    expect(commandNamed('nope')).toBeUndefined()
    expect(commandForButton('ask:more:3:')?.definition.name).toBe('ask')
    expect(commandForButton('toc::2')?.definition.name).toBe('toc')
    expect(commandForButton('chapter:12')?.definition.name).toBe('chapter')
    expect(commandForButton('zzz:1')).toBeUndefined()
  })

  it('gives every command and option a zh-CN name and description within Discord limits', () => {
    const nameRule = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u
    for (const { definition } of COMMANDS) {
      const all = [definition, ...(definition.options ?? [])]
      for (const d of all) {
        expect(d.name).toMatch(nameRule)
        expect(d.name).toBe(d.name.toLowerCase())
        expect(d.description.length).toBeGreaterThan(0)
        expect(d.description.length).toBeLessThanOrEqual(100)
        expect(d.name_localizations?.['zh-CN']).toMatch(nameRule)
        expect(d.description_localizations?.['zh-CN']?.length).toBeGreaterThan(0)
        expect(d.description_localizations!['zh-CN']!.length).toBeLessThanOrEqual(100)
      }
    }
  })
})

describe('/ask', () => {
  const QUESTION = 'Kubernetes 为什么要用 Pod'

  it('answers with one embed of at most 3 passages, chapter links, bold terms, a deep link and the question in the footer', () => {
    const reply = run('ask', { question: QUESTION })
    const e = embed(reply)
    const total = library.search(QUESTION, { limit: 3 }).total
    expect(total).toBeGreaterThan(3)
    expect(e.title).toBe(`第 1–3 条答案（共 ${total} 条）`)
    expect(e.footer?.text).toBe(`❓ ${QUESTION}`)
    expect(reply.flags ?? 0).toBe(0)

    const blocks = hitBlocks(e.description!)
    expect(blocks.length).toBeGreaterThan(0)
    expect(blocks.length).toBeLessThanOrEqual(3)
    expect(blocks.map((b) => b.rank)).toEqual([1, 2, 3])
    for (const b of blocks) {
      // "course · title", linked to the chapter's page.
      const chapter = library.chapters.find((c) => `${c.course} · ${c.title}` === b.label)
      expect(chapter, b.label).toBeDefined()
      expect(b.url).toBe(chapterLink(chapter!))
      expect(b.url).toMatch(/^https:\/\/learn\.lianglianglee\.com\/\S+$/)
      expect(b.url).not.toMatch(/[^\x21-\x7e]/) // percent-encoded: no spaces, no raw Chinese
    }
    // Matched terms are bold in the passage text, alone or within the bold answering sentence.
    expect(e.description).toMatch(/\*\*[^*\n]*(kubernetes|为什么|要用|pod)[^*\n]*\*\*/i)
    // A paragraph hit links straight to its answering sentence with a percent-encoded text fragment.
    const deep = linksIn(e.description!).filter((l) => l.url.includes('#:~:text='))
    expect(deep.length).toBeGreaterThan(0)
    for (const { url } of deep) {
      const fragment = url.split('#:~:text=')[1]!
      expect(fragment).toMatch(/^[A-Za-z0-9%._~!*']+$/)
      const quoted = decodeURIComponent(fragment)
      expect(quoted.length).toBeGreaterThan(0)
      // It quotes the answering sentence's opening, which may stand anywhere in its passage.
      expect(library.passages.some((p) => p.text.includes(quoted))).toBe(true)
    }
    // A chapter known only by its title says so rather than showing nothing.
    expect(e.description).toContain(strings('zh-CN').titleOnly)
  })

  it('names, under the hits, up to two other chapters that the next hits come from, as chapter links', () => {
    for (const question of ['API 为王', '赢开发者赢天下']) {
      const e = embed(run('ask', { question }))
      const pageLabels = hitBlocks(e.description!).map((b) => b.label)
      // What the field should hold, worked out from the search itself: the first chapters past the page's own.
      const expected: string[] = []
      for (const hit of library.search(question, { limit: 10 }).hits.slice(3)) {
        const label = `${hit.chapter.course} · ${hit.chapter.title}`
        if (!pageLabels.includes(label) && !expected.includes(label) && expected.length < 2) expected.push(label)
      }
      expect(expected.length, question).toBeGreaterThan(0)
      expect(e.fields, question).toHaveLength(1)
      expect(e.fields![0]!.name).toBe(strings('zh-CN').otherChapters)
      const links = linksIn(e.fields![0]!.value)
      expect(links.map((l) => l.text)).toEqual(expected)
      for (const l of links) {
        const chapter = library.chapters.find((c) => `${c.course} · ${c.title}` === l.text)!
        expect(l.url).toBe(chapterLink(chapter))
      }
      expect(e.fields![0]!.value.split('\n')).toHaveLength(links.length)
    }
  })

  it('names no other chapter when no hit past the page comes from another chapter', () => {
    const question = 'AWS'
    const hits = library.search(question, { limit: 10 }).hits
    const page = new Set(hits.slice(0, 3).map((h) => h.chapter.key))
    expect(hits.slice(3).every((h) => page.has(h.chapter.key))).toBe(true)
    expect(embed(run('ask', { question })).fields ?? []).toEqual([])
  })

  it('offers 更多结果 / 👍 / 👎 buttons with short custom_ids', () => {
    const reply = run('ask', { question: QUESTION })
    const buttons = buttonsOf(reply)
    expect(buttons.map((b) => b.emoji)).toEqual(['➡️', '👍', '👎'])
    expect(buttons[0]).toMatchObject({ label: '更多结果', custom_id: 'ask:more:3:', disabled: false })
    expect(buttons[1]).toMatchObject({ label: '有帮助', custom_id: 'ask:up:0:' })
    expect(buttons[2]).toMatchObject({ label: '没帮助', custom_id: 'ask:down:0:' })
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(100)
  })

  it('keeps custom_ids short and the question whole in the footer for a 1,000-character question', () => {
    const long = `${'Pod 为什么需要 '.repeat(120).slice(0, 999)}？`
    const reply = run('ask', { question: long })
    expect(embed(reply).footer?.text).toBe(`❓ ${long}`)
    for (const b of buttonsOf(reply)) expect(b.custom_id.length).toBeLessThanOrEqual(100)
  })

  it('pages with 更多结果: offset 3, disjoint passages, question read back from the footer', () => {
    const first = run('ask', { question: QUESTION })
    const second = update(buttonWith(first, '➡️').custom_id, first)
    const total = library.search(QUESTION, { limit: 3 }).total
    expect(embed(second).title).toBe(`第 4–6 条答案（共 ${total} 条）`)
    expect(embed(second).footer?.text).toBe(`❓ ${QUESTION}`)
    expect(hitBlocks(embed(second).description!).map((b) => b.rank)).toEqual([4, 5, 6])
    expect(buttonsOf(second).map((b) => b.custom_id)).toEqual(['ask:more:6:', 'ask:up:3:', 'ask:down:3:'])

    // Page to the end: every passage shows once, and the last page's 更多结果 is disabled.
    const seen: string[] = []
    let page = first
    for (let guard = 0; guard < 20; guard++) {
      for (const b of hitBlocks(embed(page).description!)) seen.push(`${b.url}\n${b.body}`)
      const more = buttonWith(page, '➡️')
      if (more.disabled) break
      page = update(more.custom_id, page)
    }
    expect(seen).toHaveLength(total)
    expect(new Set(seen).size).toBe(total)
    expect(buttonWith(page, '➡️').disabled).toBe(true)

    // The feedback buttons of the two pages name disjoint passages.
    const ids = (p: MessagePayload) => {
      const o = click(buttonWith(p, '👍').custom_id, p)
      if (o.kind !== 'feedback') throw new Error('expected feedback')
      return o.feedback.passageIds
    }
    const a = ids(first)
    const b = ids(second)
    expect(a).toHaveLength(3)
    expect(b).toHaveLength(3)
    expect(a.filter((id) => b.includes(id))).toEqual([])
  })

  it('reads the question from the message footer, not from the button', () => {
    const other = run('ask', { question: 'Kubernetes 集群 监控' })
    const total = library.search('Kubernetes 集群 监控', { limit: 3 }).total
    expect(total).toBeGreaterThan(3)
    // The same custom_id on a message about another question pages that question.
    const page = update('ask:more:3:', other)
    expect(embed(page).footer?.text).toBe('❓ Kubernetes 集群 监控')
    expect(embed(page).title).toBe(`第 4–${Math.min(6, total)} 条答案（共 ${total} 条）`)
  })

  it('answers a click on a message without a question with a short ephemeral notice', () => {
    const outcome = click('ask:more:3:', { embeds: [] })
    expect(outcome.kind).toBe('reply')
    if (outcome.kind === 'reply') {
      expect(outcome.payload.content).toBe(strings('zh-CN').noMore)
      expect(outcome.payload.flags).toBe(64)
    }
  })

  it('turns 👍 and 👎 into feedback on the shown passages', () => {
    const reply = run('ask', { question: QUESTION })
    const expected = library.search(QUESTION, { limit: 3 }).hits.map((h) => h.id)
    expect(click(buttonWith(reply, '👍').custom_id, reply)).toEqual({ kind: 'feedback', feedback: { vote: 'up', query: QUESTION, passageIds: expected } })
    expect(click(buttonWith(reply, '👎').custom_id, reply)).toEqual({ kind: 'feedback', feedback: { vote: 'down', query: QUESTION, passageIds: expected } })
  })

  it('narrows to one course with the course option, also on later pages', () => {
    for (const [option, course] of [
      ['深入剖析', SHENRU],
      [SHANGSHOU, SHANGSHOU],
    ] as const) {
      const reply = run('ask', { question: QUESTION, course: option })
      const blocks = hitBlocks(embed(reply).description!)
      expect(blocks.length).toBeGreaterThan(0)
      for (const b of blocks) expect(b.label.startsWith(`${course} · `)).toBe(true)
      const total = library.search(QUESTION, { limit: 3, course }).total
      expect(embed(reply).title).toBe(`第 1–${Math.min(3, total)} 条答案（共 ${total} 条）`)
      const more = buttonWith(reply, '➡️')
      if (!more.disabled) {
        expect(more.custom_id).toBe(`ask:more:3:${courseSlug(course)}`)
        const next = update(more.custom_id, reply)
        for (const b of hitBlocks(embed(next).description!)) expect(b.label.startsWith(`${course} · `)).toBe(true)
      }
    }
  })

  it('says kindly that a course option names no course', () => {
    const reply = run('ask', { question: QUESTION, course: '不存在的课' })
    expect(reply.content).toContain('不存在的课')
    expect(reply.flags).toBe(64)
    expect(reply.embeds).toEqual([])
  })

  it('makes the answer ephemeral with private:true', () => {
    expect(run('ask', { question: QUESTION, private: true }).flags).toBe(64)
    expect(run('ask', { question: QUESTION, private: false }).flags ?? 0).toBe(0)
  })

  it('says kindly when nothing matches, suggests /toc and rewording, and never shows an empty embed', () => {
    const question = '量子纠缠 火锅'
    expect(library.search(question, { limit: 3 }).total).toBe(0)
    const reply = run('ask', { question })
    const e = embed(reply)
    expect(e.title).toBe('没有找到答案')
    expect(e.description).toContain('/toc')
    expect(e.description).toContain('换个说法')
    expect(e.description).toContain(question)
    expect(e.description!.trim().length).toBeGreaterThan(20)
    expect(reply.components).toEqual([])
  })

  it('asks for a question when it is empty', () => {
    const reply = run('ask', { question: '   ' })
    expect(reply.content).toBe(strings('zh-CN').emptyQuestion)
    expect(reply.flags).toBe(64)
  })

  describe('a 1,000-character hostile question', () => {
    it('with no match: limits hold, nobody is pinged, the quoted question is escaped', () => {
      const question = hostileQuestion(1000, '量子纠缠火锅 ')
      expect(question).toHaveLength(1000)
      const reply = run('ask', { question })
      expect(reply.allowed_mentions.parse).toEqual([])
      const e = embed(reply)
      const description = e.description!
      expect(description).not.toMatch(/@(everyone|here)/)
      expect(description).not.toMatch(/<@&?\d+>|<#\d+>/)
      const quoted = /「([\s\S]*)」/.exec(description)![1]!
      expect(unescapedMarkdown(quoted)).toBe('')
      expect(unescape(quoted).replace(/…$/, '')).toBe(question.slice(0, unescape(quoted).replace(/…$/, '').length))
      expect(e.footer?.text).toBe(`❓ ${question}`)
    })

    it('with matches: limits hold and nobody is pinged', () => {
      const question = hostileQuestion(1000, '为什么需要 Pod Kubernetes 监控 ')
      const reply = run('ask', { question })
      expect(reply.allowed_mentions.parse).toEqual([])
      const e = embed(reply)
      expect(e.title).toMatch(/^第 1–\d 条答案/)
      expect(e.footer?.text).toBe(`❓ ${question}`)
      expect(e.description).not.toMatch(/@(everyone|here)/)
      expect(e.description).not.toMatch(/<@&?\d+>/)
      for (const b of buttonsOf(reply)) expect(b.custom_id.length).toBeLessThanOrEqual(100)
      // Its next page too.
      const next = update(buttonWith(reply, '➡️').custom_id, reply)
      expect(embed(next).footer?.text).toBe(`❓ ${question}`)
    })

    it('escapes a run of four backticks (it would open inline code)', () => {
      const question = `量子纠缠火锅 ${'````'}x`
      const description = embed(run('ask', { question })).description!
      const quoted = /「([\s\S]*)」/.exec(description)![1]!
      expect(unescapedMarkdown(quoted)).toBe('')
    })

    it('escapes a backslash so it cannot undo an escape', () => {
      const description = embed(run('ask', { question: '量子纠缠火锅 \\**x\\**' })).description!
      const quoted = /「([\s\S]*)」/.exec(description)![1]!
      expect(unescapedMarkdown(quoted)).toBe('')
      expect(unescape(quoted)).toBe('量子纠缠火锅 \\**x\\**')
    })
  })

  it('autocompletes questions with the typed words first, then chapter titles', () => {
    const pod = complete('ask', 'question', 'pod')
    expect(pod[0]).toEqual({ name: 'pod', value: 'pod' })
    expect(pod.map((c) => c.name)).toContain('为什么我们需要Pod？')
    expect(pod.length).toBeLessThanOrEqual(25)

    const why = complete('ask', 'question', '为什么')
    expect(why.map((c) => c.value)).toEqual(expect.arrayContaining(['为什么我们需要Pod？', '开篇： Kubernetes 是什么以及为什么需要它']))

    const empty = complete('ask', 'question', '')
    expect(empty).toHaveLength(25)
    expect(empty.every((c) => c.name.length > 0)).toBe(true)

    // However long the typing, choices fit: 25 at most, names and values of at most 100 characters.
    complete('ask', 'question', hostileQuestion(1000))
    complete('ask', 'question', 'x'.repeat(150))
  })

  it('autocompletes a Chinese prefix with the titles and headings that start with it, titles first', () => {
    const why = complete('ask', 'question', '为什').map((c) => c.value)
    expect(why[0]).toBe('为什')
    expect(why[1]).toBe('为什么我们需要Pod？')
    expect(why.slice(1).every((v) => matchKey(v).includes('为什'))).toBe(true)
  })
})

describe('/toc', () => {
  function pages(options: Record<string, OptionValue> = {}, locale: Locale = 'zh-CN'): MessagePayload[] {
    const out = [run('toc', options, locale)]
    for (let guard = 0; guard < 50; guard++) {
      const next = buttonWith(out.at(-1)!, '▶️')
      if (next.disabled) break
      out.push(update(next.custom_id, out.at(-1)!, locale))
    }
    return out
  }

  function lines(page: MessagePayload) {
    return embed(page)
      .description!.split('\n')
      .filter((l) => l.startsWith('`'))
      .map((l) => {
        const m = /^`\s*([^`]+)` \[(.+)\]\((\S+)\)( 📄)?$/.exec(l)
        if (!m) throw new Error(`not a toc line: ${l}`)
        return { number: m[1]!, title: unescape(m[2]!), url: m[3]!, hasText: Boolean(m[4]) }
      })
  }

  it('lists all 80 chapters across its pages exactly once, with links, marking the two with text 📄', () => {
    const all = pages()
    expect(all).toHaveLength(8)
    all.forEach((p, i) => expect(embed(p).title).toBe(`课程目录 · 第 ${i + 1}/8 页`))
    const listed = all.flatMap(lines)
    const chapters = library.tocChapters()
    expect(chapters).toHaveLength(80)
    expect(listed).toHaveLength(80)
    expect(listed.map((l) => l.url).sort()).toEqual(chapters.map((c) => chapterLink(c)).sort())
    expect(new Set(listed.map((l) => l.url)).size).toBe(80)
    for (const c of chapters) {
      const line = listed.find((l) => l.url === chapterLink(c))!
      expect(line.title).toBe(c.title)
      expect(line.hasText).toBe(c.hasText)
    }
    const marked = listed.filter((l) => l.hasText).map((l) => l.title)
    expect(marked.sort()).toEqual(['24 总结', '结束语 Kubernetes：赢开发者赢天下'])
    // Both course names head their chapters.
    const text = all.map((p) => embed(p).description).join('\n')
    expect(text).toContain(`**${SHENRU}**`)
    expect(text).toContain(`**${SHANGSHOU}**`)
  })

  it('pages with ◀ ▶: disabled at the ends, and back again', () => {
    const all = pages()
    expect(buttonWith(all[0]!, '◀️').disabled).toBe(true)
    expect(buttonWith(all[0]!, '▶️')).toMatchObject({ custom_id: 'toc::2', disabled: false })
    expect(buttonWith(all.at(-1)!, '▶️').disabled).toBe(true)
    const back = update(buttonWith(all[2]!, '◀️').custom_id, all[2]!)
    expect(back).toEqual(all[1])
    expect(run('toc', { page: 2 })).toEqual(all[1])
    // Out-of-range pages clamp to the nearest.
    expect(embed(run('toc', { page: 1000 })).title).toBe('课程目录 · 第 8/8 页')
    expect(embed(run('toc', { page: 0 })).title).toBe('课程目录 · 第 1/8 页')
  })

  it('lists one course with the course option, and keeps it across pages', () => {
    const all = pages({ course: '上手' })
    const listed = all.flatMap(lines)
    expect(listed).toHaveLength(library.tocChapters(SHANGSHOU).length)
    expect(listed.map((l) => l.url)).toEqual(library.tocChapters(SHANGSHOU).map((c) => chapterLink(c)))
    expect(buttonWith(all[0]!, '▶️').custom_id).toBe(`toc:${courseSlug(SHANGSHOU)}:2`)
    // A button made before slugs carries the course's position in the list: still that course.
    const legacy = update(`toc:${library.courses().indexOf(SHANGSHOU)}:2`, all[0]!)
    expect(lines(legacy)).toEqual(lines(all[1]!))
  })

  it('names a course in buttons by a slug of its name, which adding a course does not change', () => {
    const courses = library.courses()
    const withNew = { courses: () => ['《新课程》', ...courses] } as unknown as Library
    for (const course of courses) {
      expect(courseCode(withNew, course)).toBe(courseCode(library, course))
      expect(courseFromCode(withNew, courseCode(library, course))).toBe(course)
    }
    expect(new Set(courses.map(courseSlug)).size).toBe(courses.length)
    expect(courseFromCode(library, 'cnosuchcourse')).toBeUndefined()
  })
})

describe('/chapter', () => {
  it('shows a chapter with local text: link, a summary that skips the greeting and ends a sentence, and neighbours', () => {
    const reply = run('chapter', { n: '结束语' })
    const chapter = library.chapter(KEY_CLOSING)!
    const e = embed(reply)
    expect(e.title).toBe(`${SHENRU} · ${chapter.title}`)
    expect(e.url).toBe(chapterLink(chapter))
    const summary = unescape(e.description!)
    expect(summary).not.toContain('你好，我是张磊')
    expect(summary).toMatch(/[。！？!?.…”」]$/)
    expect(summary.length).toBeGreaterThan(40)
    const text = library.chapterPassages(KEY_CLOSING).map((p) => p.text).join('\n')
    expect(text).toContain(summary.slice(0, 30))
    // The last chapter of its course: a previous neighbour only.
    const { previous, next } = library.neighbours(KEY_CLOSING)
    expect(next).toBeUndefined()
    expect(e.fields).toHaveLength(1)
    expect(linksIn(e.fields![0]!.value)).toEqual([{ text: previous!.title, url: chapterLink(previous!) }])
    expect(buttonsOf(reply)).toEqual([expect.objectContaining({ emoji: '◀️', label: '上一章', custom_id: `chapter:${library.chapterIndex(previous!.key)}` })])
  })

  it('shows the other chapter with text by number and course', () => {
    const reply = run('chapter', { n: '24', course: '上手' })
    const e = embed(reply)
    expect(e.title).toBe(`${SHANGSHOU} · 24 总结`)
    expect(unescape(e.description!)).toMatch(/^经过了前面 23 节的内容/)
    expect(unescape(e.description!)).toMatch(/[。！？!?.…”」]$/)
    expect(library.chapter(KEY_SUMMARY)?.hasText).toBe(true)
  })

  it('shows a title-only chapter: link, neighbours, and a note that its text is not indexed', () => {
    const reply = run('chapter', { n: '13', course: '深入剖析' })
    const e = embed(reply)
    const chapter = library.findChapters('13', SHENRU)[0]!
    expect(chapter.hasText).toBe(false)
    expect(e.title).toBe(`${SHENRU} · 13 为什么我们需要Pod？`)
    expect(e.url).toBe(chapterLink(chapter))
    expect(e.description).toBe(strings('zh-CN').chapterNotIndexed)
    const neighbourLinks = linksIn(e.fields![0]!.value).map((l) => l.text)
    expect(neighbourLinks).toEqual(['12 牛刀小试：我的第一个容器化应用', '14 深入解析Pod对象（一）：基本概念'])
    const buttons = buttonsOf(reply)
    expect(buttons.map((b) => b.emoji)).toEqual(['◀️', '▶️'])
    // The neighbour buttons open the neighbours.
    const nextPage = update(buttons[1]!.custom_id, reply)
    expect(embed(nextPage).title).toBe(`${SHENRU} · 14 深入解析Pod对象（一）：基本概念`)
  })

  it('asks which course when a number exists in both, with one button each', () => {
    const reply = run('chapter', { n: '13' })
    expect(reply.embeds).toEqual([])
    expect(reply.content).toBe('两门课都有「13」，你想看哪一门？')
    const buttons = buttonsOf(reply)
    expect(buttons.map((b) => b.label).sort()).toEqual([`${SHANGSHOU} · 13 庖丁解牛：etcd`, `${SHENRU} · 13 为什么我们需要Pod？`].sort())
    for (const b of buttons) {
      const shown = update(b.custom_id, reply)
      expect(embed(shown).title).toBe(b.label)
    }
    expect(run('chapter', { n: '第13章' }).content).toBe('两门课都有「第13章」，你想看哪一门？')
  })

  it('finds a chapter by a fragment of its title, in Chinese or English', () => {
    expect(embed(run('chapter', { n: '任督二脉' })).title).toBe(`${SHENRU} · 00 开篇词 打通“容器技术”的任督二脉`)
    expect(embed(run('chapter', { n: 'etcd' })).title).toBe(`${SHANGSHOU} · 13 庖丁解牛：etcd`)
    expect(embed(run('chapter', { n: '赢开发者' })).title).toBe(`${SHENRU} · 结束语 Kubernetes：赢开发者赢天下`)
  })

  it('offers a choice when a title fragment matches several chapters, without claiming both courses have it', () => {
    const reply = run('chapter', { n: 'StatefulSet' })
    const labels = buttonsOf(reply).map((b) => b.label)
    expect(labels).toEqual([
      `${SHENRU} · 18 深入理解StatefulSet（一）：拓扑状态`,
      `${SHENRU} · 19 深入理解StatefulSet（二）：存储状态`,
      `${SHENRU} · 20 深入理解StatefulSet（三）：有状态应用实践`,
    ])
    // All three are in one course: "两门课都有…" (both courses have…) would be wrong.
    expect(reply.content).not.toContain('两门课都有')
  })

  it('says kindly when no chapter matches', () => {
    const reply = run('chapter', { n: '量子纠缠' })
    expect(reply.content).toContain('量子纠缠')
    expect(reply.content).toContain('/toc')
    expect(reply.flags).toBe(64)
  })

  it('autocompletes numbers, Chinese titles and English terms in titles', () => {
    const thirteen = complete('chapter', 'n', '13')
    expect(thirteen.map((c) => c.name).sort()).toEqual([`13 为什么我们需要Pod？ · ${SHENRU}`, `13 庖丁解牛：etcd · ${SHANGSHOU}`].sort())
    expect(complete('chapter', 'n', '13', { course: '上手' }).map((c) => c.name)).toEqual([`13 庖丁解牛：etcd · ${SHANGSHOU}`])

    expect(complete('chapter', 'n', 'etcd').map((c) => c.name)).toEqual([`13 庖丁解牛：etcd · ${SHANGSHOU}`])
    expect(complete('chapter', 'n', 'ETCD').map((c) => c.name)).toEqual([`13 庖丁解牛：etcd · ${SHANGSHOU}`])
    const pod = complete('chapter', 'n', 'Pod').map((c) => c.name)
    expect(pod).toEqual(expect.arrayContaining([`13 为什么我们需要Pod？ · ${SHENRU}`, `14 深入解析Pod对象（一）：基本概念 · ${SHENRU}`]))
    expect(complete('chapter', 'n', 'pod').map((c) => c.name)).toEqual(pod)
    const scheduler = complete('chapter', 'n', '调度器').map((c) => c.name)
    expect(scheduler).toEqual(expect.arrayContaining([`41 十字路口上的Kubernetes默认调度器 · ${SHENRU}`, `42 Kubernetes默认调度器调度策略解析 · ${SHENRU}`]))
    expect(complete('chapter', 'n', '')).toHaveLength(25)
  })

  it('opens exactly the autocompleted chapter', () => {
    for (const choice of complete('chapter', 'n', '13')) {
      const reply = run('chapter', { n: choice.value })
      expect(choice.value).toMatch(/^@\d+$/)
      expect(choice.name.startsWith(embed(reply).title!.split(' · ')[1]!)).toBe(true)
    }
  })
})

describe('any input', () => {
  it('gives replies and choices within every limit, in both languages', () => {
    // A small deterministic sweep of hostile inputs through every handler (the cases above are the specific ones).
    let seed = 20250101
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    const alphabet = [...'aPod为什么需要调度容器 *_`|~>#-[]()@<>:&!\\0123456789', '😀', '@everyone', '<@123>', '```', '||', '**', 'Kubernetes', '第', '章', '\u200b']
    const text = (n: number) => {
      let s = ''
      while (s.length < n) s += alphabet[Math.floor(random() * alphabet.length)]
      return s.slice(0, n)
    }
    for (let i = 0; i < 6; i++) {
      const input = text([1, 7, 40, 120, 400, 1000][i]!)
      const locale: Locale = i % 2 ? 'en' : 'zh-CN'
      const answer = run('ask', { question: input, course: i % 3 === 0 ? '上手' : undefined }, locale)
      for (const b of buttonsOf(answer)) if (!b.disabled) click(b.custom_id, answer, locale)
      const chapter = run('chapter', { n: input.slice(0, 60) }, locale)
      for (const b of buttonsOf(chapter)) click(b.custom_id, chapter, locale)
      run('toc', { page: input, course: input.slice(0, 20) }, locale)
      complete('ask', 'question', input)
      complete('chapter', 'n', input.slice(0, 60))
    }
  })
})

describe('/help', () => {
  it('explains the commands, privately', () => {
    const reply = run('help', {})
    expect(reply.flags).toBe(64)
    for (const name of ['/ask', '/toc', '/chapter', '/help']) expect(embed(reply).description).toContain(name)
  })
})

describe('locales', () => {
  it('maps Discord locales: en-* to English, everything else to zh-CN', () => {
    expect(localeOf('en-US')).toBe('en')
    expect(localeOf('en-GB')).toBe('en')
    expect(localeOf('zh-CN')).toBe('zh-CN')
    expect(localeOf('zh-TW')).toBe('zh-CN')
    expect(localeOf('ja')).toBe('zh-CN')
    expect(localeOf(undefined)).toBe('zh-CN')
    expect(localeOf(null)).toBe('zh-CN')
  })

  it('has the same strings in both languages', () => {
    expect(Object.keys(strings('en')).sort()).toEqual(Object.keys(strings('zh-CN')).sort())
  })

  it('answers in English for en and in Chinese for zh-CN', () => {
    const en = run('ask', { question: '为什么需要 Pod' }, 'en')
    expect(embed(en).title).toMatch(/^Answers 1–3 of \d+$/)
    expect(buttonsOf(en).map((b) => b.label)).toEqual(['More results', 'Helpful', 'Not helpful'])
    const zh = run('ask', { question: '为什么需要 Pod' }, 'zh-CN')
    expect(buttonsOf(zh).map((b) => b.label)).toEqual(['更多结果', '有帮助', '没帮助'])

    const none = run('ask', { question: '量子纠缠 火锅' }, 'en')
    expect(embed(none).title).toBe('No answer found')
    expect(embed(none).description).toContain('/toc')

    const toc = run('toc', {}, 'en')
    expect(embed(toc).title).toBe('Course contents · page 1/8')
    expect(buttonsOf(toc).map((b) => b.label)).toEqual(['Previous', 'Next'])
    expect(embed(update(buttonWith(toc, '▶️').custom_id, toc, 'en')).title).toBe('Course contents · page 2/8')

    expect(embed(run('chapter', { n: '13', course: '深入剖析' }, 'en')).description).toBe(strings('en').chapterNotIndexed)
    expect(run('chapter', { n: '13' }, 'en').content).toBe('Both courses have “13”. Which one do you mean?')
    expect(embed(run('help', {}, 'en')).title).toBe('Course Q&A bot · Help')
    expect(embed(run('chapter', { n: '结束语' }, 'en')).fields![0]!.name).toBe('Neighbours')
  })
})
