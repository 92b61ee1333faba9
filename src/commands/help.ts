import { helpReply } from '../render/replies.js'
import type { Command } from './types.js'

export const help: Command = {
  definition: {
    name: 'help',
    name_localizations: { 'zh-CN': '帮助' },
    description: 'How to use the course Q&A bot',
    description_localizations: { 'zh-CN': '课程问答机器人的使用说明' },
  },
  run: (_input, _library, locale) => helpReply(locale),
}
