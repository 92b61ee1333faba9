import { pinyin } from 'pinyin-pro'
import { normalize } from '../text/normalize.js'
import { HAN_READINGS_FIRST, HAN_READINGS_LAST, HAN_WORD, type SpellingLexicon } from './spelling.js'
import type { Tokenizer } from './tokenizer.js'

/**
 * What the spelling corrector needs, worked out once when the index is built and kept in it: answering then never
 * loads pinyin-pro (16 MB, and 200 ms to read 18k words at course size). The only module that imports it.
 *
 * `words` are the index's tokens; `phrases` are short texts (titles, headings) whose adjacent words are joined
 * too, since jieba splits many course terms ("声明|式") that a typo then hides.
 */
export function spellingLexicon(words: Iterable<string>, phrases: Iterable<string>, tokenizer: Tokenizer): SpellingLexicon {
  const known = new Set(words)
  const joined = new Set<string>()
  for (const phrase of phrases) {
    for (const [run] of normalize(phrase).matchAll(/\p{Script=Han}+/gu)) {
      const pieces = tokenizer.cutWords(run)
      for (let i = 0; i < pieces.length; i++) {
        for (let span = 2; span <= 3 && i + span <= pieces.length; span++) {
          const word = pieces.slice(i, i + span).join('')
          if (!known.has(word)) joined.add(word)
        }
      }
    }
  }
  // A known word is read as a word ("调度" diaodu, not tiaodu): it is what the user meant to type.
  const bySound = new Map<string, string[]>()
  for (const word of [...known, ...joined]) {
    if (!HAN_WORD.test(word)) continue
    const sound = pinyin(word, { toneType: 'none', type: 'array' }).join('')
    const list = bySound.get(sound)
    if (list) list.push(word)
    else bySound.set(sound, [word])
  }
  // A typo is not a word, so each of its characters may have been meant in any of its readings.
  const readings: string[] = []
  for (let code = HAN_READINGS_FIRST; code <= HAN_READINGS_LAST; code++) {
    const char = String.fromCodePoint(code)
    const all = pinyin(char, { toneType: 'none', type: 'array', multiple: true }).filter((r) => r !== char)
    readings.push([...new Set(all)].join(' '))
  }
  return { joined: [...joined], sounds: [...bySound].map(([sound, list]) => [sound, ...list]), readings }
}
