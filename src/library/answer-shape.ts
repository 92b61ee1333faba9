/**
 * What a question's wording says its answer looks like, by patterns that hold across chapters: a question of how many,
 * how long, what default, which version or which port wants a number; a why wants a cause or a purpose; a yes-or-no
 * question wants a sentence that says what is not, cannot or only may be. It counts in a sentence that also holds
 * the question's words: for ranking passages (WEIGHTS.ANSWER_SHAPE) and for the sentence a reply bolds
 * (ANSWER_SENTENCE). Anywhere in a passage it bought nothing (docs/ranking.md, Tried and dropped: "Answer shape").
 */
export type AnswerShape = 'quantity' | 'cause' | 'polar'

// Which version or which port wants a number too.
const QUANTITY_QUESTION = /多少|多久|多长|多大|几个|几种|几次|默认值|(哪|什么)[个一]?(版本|端口)|(which|what) (version|port)|how (many|much|long|big)|\bdefault\b/i
const CAUSE_QUESTION = /为什么|为何|原因|\bwhy\b/i
// A yes-or-no question: 吗, 能不能, 是否…, or English that opens with its verb.
const POLAR_QUESTION = /吗|能不能|会不会|是不是|可不可以|是否|^(can|does|do|is|are|will|should)\b/i

/** The shape of a question's answer, when its wording tells one. */
export function answerShape(question: string): AnswerShape | undefined {
  if (QUANTITY_QUESTION.test(question)) return 'quantity'
  if (CAUSE_QUESTION.test(question)) return 'cause'
  if (POLAR_QUESTION.test(question.trim())) return 'polar'
  return undefined
}

const SHAPE_OF_SENTENCE: Record<AnswerShape, RegExp> = {
  // Full-width digits too: a passage is tested as written, before it is normalised.
  quantity: /[0-9０-９]/,
  cause: /因为|由于|所以|因此|为了|以便|否则|导致/,
  // A yes-or-no answer tells what is not, cannot or only may be: 不, 无法, 没有, 禁止, 只能, 必须, 仅.
  polar: /不|无法|没有|禁止|只能|必须|仅/,
}

/** Whether a sentence has the shape an answer needs: a number, a word of cause or purpose, or a negation or limit. */
export function hasAnswerShape(sentence: string, shape: AnswerShape | undefined): boolean {
  return shape !== undefined && SHAPE_OF_SENTENCE[shape].test(sentence)
}
