// Questions that ask for a chapter, in Chinese and English, and ones that ask for an explanation.
import { describe, expect, it } from 'vitest'
import { asksForChapter } from '../../src/library/question-intent.js'

describe('asksForChapter', () => {
  it.each([
    '用 StatefulSet 部署 MySQL 主从集群的实战在哪里讲？',
    'kubectl 常用的命令从哪一节开始学？',
    '有讲容器早期历史的章节吗？',
    '有没有讲 Helm 的',
    'Which chapter covers deploying a cluster with kubeadm?',
    'Is there a lesson on managing cloud-native applications?',
    'ＷＨＩＣＨ ＣＨＡＰＴＥＲ is about etcd',
  ])('"%s" asks for a chapter', (q) => {
    expect(asksForChapter(q)).toBe(true)
  })

  it.each([
    '为什么需要 Pod？',
    'Kubernetes 的本质是什么',
    '哪些组件运行在节点上',
    'Pod 会被调度到哪个节点？',
    'API 对象的设计有讲究吗',
    'How does the scheduler pick a node?',
    'Which tool installs a cluster in one command?',
  ])(
    '"%s" asks for an explanation',
    (q) => {
      expect(asksForChapter(q)).toBe(false)
    },
  )
})
