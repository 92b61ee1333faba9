/** The bot speaks zh-CN by default, and English to users whose Discord client is in English. */
export type Locale = 'zh-CN' | 'en'

export function localeOf(discordLocale: string | undefined | null): Locale {
  return discordLocale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

const zh = {
  answerTitle: (from: number, to: number, total: number) => `第 ${from}–${to} 条答案（共 ${total} 条）`,
  questionFooter: '问题：',
  more: '更多结果',
  helpful: '有帮助',
  notHelpful: '没帮助',
  noMore: '没有更多结果了。',
  noAnswerTitle: '没有找到答案',
  noAnswer: (question: string) =>
    `没有在课程里找到与「${question}」相关的内容。\n\n可以试试：\n• 换个说法，或用课程里的术语（如 Pod、调度器、声明式 API）\n• 用 \`/toc\` 浏览两门课的目录\n• 用 \`/chapter\` 查看某一章`,
  emptyQuestion: '请输入一个问题，例如：`/ask 为什么需要 Pod`',
  chapterLabel: '章节',
  headingLabel: '小节',
  openParagraph: '跳到这一段',
  otherChapters: '也可以看看这些章节',
  titleOnly: '（仅目录：这一章的正文还没有收录）',
  tocTitle: (page: number, pages: number) => `课程目录 · 第 ${page}/${pages} 页`,
  tocLegend: '📄 = 正文已收录，可以提问',
  previous: '上一页',
  next: '下一页',
  chapterNotIndexed: '这一章的正文还没有收录，暂时只能提供链接。运营者可以用 `npm run fetch-course` 抓取全部章节。',
  previousChapter: '上一章',
  nextChapter: '下一章',
  summary: '摘要',
  neighbours: '前后章节',
  chapterNotFound: (input: string) => `没有找到章节「${input}」。可以输入章节号（如 13）或标题里的词，或用 \`/toc\` 查看目录。`,
  chapterGone: '这个按钮指向的章节已经不在目录里了。用 `/toc` 或 `/chapter` 重新查找。',
  chapterAmbiguous: (input: string) => `两门课都有「${input}」，你想看哪一门？`,
  chapterChoose: (input: string, count: number, shown: number) =>
    `有 ${count} 个章节符合「${input}」，请选择${count > shown ? `（只列出前 ${shown} 个，换个更具体的词可以缩小范围）` : ''}：`,
  unknownCourse: (input: string) => `没有名为「${input}」的课程。`,
  cooldown: (seconds: number) => `提问太快啦，请 ${seconds} 秒后再试。`,
  error: '抱歉，处理这个请求时出了点问题。已经记录下来了，请稍后再试。',
  thanks: '谢谢你的反馈！',
  feedbackUpdated: '已更新你的反馈，谢谢！',
  helpTitle: '课程问答机器人 · 使用说明',
  help:
    '我能回答《深入剖析Kubernetes》和《Kubernetes 从上手到实践》两门课的问题。\n\n' +
    '**/ask** `question` — 提问，返回最相关的 3 段课程内容和章节链接。可选 `course` 只搜一门课，`private` 只有你能看到回答。\n' +
    '**/toc** — 两门课的目录，可以翻页。\n' +
    '**/chapter** `n` — 查看某一章：章节号（如 13）或标题，附摘要和前后章节。\n' +
    '**/help** — 显示本说明。\n\n' +
    '中文、英文提问都可以；`k8s` 等于 Kubernetes。',
} as const

type Strings = { [K in keyof typeof zh]: (typeof zh)[K] extends (...args: infer A) => string ? (...args: A) => string : string }

const en: Strings = {
  answerTitle: (from, to, total) => `Answers ${from}–${to} of ${total}`,
  questionFooter: 'Question: ',
  more: 'More results',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  noMore: 'No more results.',
  noAnswerTitle: 'No answer found',
  noAnswer: (question) =>
    `Nothing in the courses matches “${question}”.\n\nYou could:\n• rephrase, or use the course's terms (Pod, scheduler, declarative API)\n• browse both courses with \`/toc\`\n• open a chapter with \`/chapter\``,
  emptyQuestion: 'Please type a question, e.g. `/ask why do we need Pods`',
  chapterLabel: 'Chapter',
  headingLabel: 'Section',
  openParagraph: 'jump to this paragraph',
  otherChapters: 'Other chapters that may help',
  titleOnly: '(table of contents only: this chapter’s text is not indexed yet)',
  tocTitle: (page, pages) => `Course contents · page ${page}/${pages}`,
  tocLegend: '📄 = text indexed, ask away',
  previous: 'Previous',
  next: 'Next',
  chapterNotIndexed: 'This chapter’s text is not indexed yet, so only its link is available. The operator can fetch all chapters with `npm run fetch-course`.',
  previousChapter: 'Previous chapter',
  nextChapter: 'Next chapter',
  summary: 'Summary',
  neighbours: 'Neighbours',
  chapterNotFound: (input) => `No chapter matches “${input}”. Type a chapter number (e.g. 13) or words from its title, or see \`/toc\`.`,
  chapterGone: 'The chapter behind this button is no longer in the table of contents. Find it again with `/toc` or `/chapter`.',
  chapterAmbiguous: (input) => `Both courses have “${input}”. Which one do you mean?`,
  chapterChoose: (input, count, shown) =>
    `${count} chapters match “${input}”. Pick one${count > shown ? ` (the first ${shown} are shown; more specific words narrow it down)` : ''}:`,
  unknownCourse: (input) => `There is no course named “${input}”.`,
  cooldown: (seconds) => `You're asking quickly! Please try again in ${seconds} s.`,
  error: 'Sorry, something went wrong with that request. It has been logged; please try again later.',
  thanks: 'Thanks for your feedback!',
  feedbackUpdated: 'Your feedback was updated, thanks!',
  helpTitle: 'Course Q&A bot · Help',
  help:
    'I answer questions about two Kubernetes courses: 《深入剖析Kubernetes》 and 《Kubernetes 从上手到实践》.\n\n' +
    '**/ask** `question` — the 3 best passages of the courses, with chapter links. Optional `course` searches one course; `private` shows the answer to you only.\n' +
    '**/toc** — both courses’ chapters, page by page.\n' +
    '**/chapter** `n` — one chapter by number (e.g. 13) or title, with a summary and its neighbours.\n' +
    '**/help** — this text.\n\n' +
    'Ask in Chinese or English; `k8s` means Kubernetes.',
}

export type { Strings }

export function strings(locale: Locale): Strings {
  return locale === 'en' ? en : (zh as unknown as Strings)
}
