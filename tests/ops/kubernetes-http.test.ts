// deploy/kubernetes/http, the HTTP interactions overlay, checked offline like the gateway manifests: API schemas
// (kubernetes-models), unknown fields, then how the pieces fit: a rolling, autoscaled Deployment with no gap,
// a disruption budget, a Service, and an Ingress that routes /interactions alone over TLS.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IService } from 'kubernetes-models/v1/Service'
import { describe, expect, it } from 'vitest'
import { INTERACTIONS_PATH } from '../../src/bot/interactions-http.js'
import { ConfigError, loadBotConfig } from '../../src/config.js'
import { containerPort, KUSTOMIZATION, loadManifests, modelOf, ROOT, unknownFields, type Manifest } from './manifests.js'

const DIR = path.join(ROOT, 'deploy/kubernetes/http')
const envExample = await readFile(path.join(ROOT, '.env.example'), 'utf8')
const { files, manifests, kustomization, parseErrors } = await loadManifests(DIR)
const gateway = await loadManifests(path.join(ROOT, 'deploy/kubernetes'))

const one = <T>(kind: string): T & Manifest['object'] => {
  const found = manifests.filter((m) => m.object.kind === kind)
  expect(found, `exactly one ${kind}`).toHaveLength(1)
  return found[0]!.object as T & Manifest['object']
}

const deployment = one<IDeployment>('Deployment')
const podSpec = deployment.spec!.template.spec!
const bot = podSpec.containers[0]!
const podLabels = deployment.spec!.template.metadata!.labels!
const service = one<IService>('Service')
const configMap = one<IConfigMap>('ConfigMap')
const hpa = one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler')
const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget')
const ingress = one<IIngress>('Ingress')
const port = Number(configMap.data!.HTTP_PORT)

describe('HTTP overlay: parsing, API schemas, kustomization', () => {
  it('parses, and every manifest passes kubernetes-models validation with no unknown fields', () => {
    expect(parseErrors).toEqual([])
    for (const { file, object } of manifests) {
      const entry = modelOf(object)
      expect(entry, `${file}: ${object.apiVersion} ${object.kind}`).toBeDefined()
      expect(() => new entry.model(object as never).validate(), `${file}: ${object.kind}`).not.toThrow()
    }
    // A misspelt field is caught too (one compilation for both).
    const typo = structuredClone(hpa) as unknown as Record<string, Record<string, unknown>>
    typo.spec!.maxReplica = typo.spec!.maxReplicas
    const problems = unknownFields([...manifests, { file: 'typo.yaml', object: typo as unknown as Manifest['object'] }], '__http_manifests__')
    expect(problems.filter((p) => !p.startsWith('typo.yaml'))).toEqual([])
    expect(problems.join('\n')).toMatch(/typo\.yaml.*maxReplica/)
  }, 30_000)

  it('lists every manifest of the folder, in the namespace the gateway manifests use, with a retargetable image', () => {
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' })
    expect([...(kustomization!.resources ?? [])].sort()).toEqual(files.filter((f) => f !== KUSTOMIZATION))
    expect(kustomization!.namespace).toBe(gateway.kustomization!.namespace)
    const images = [...(podSpec.initContainers ?? []), ...podSpec.containers].map((c) => c.image!)
    expect(new Set(images).size).toBe(1)
    expect(kustomization!.images?.map((i) => i.name)).toContain(images[0]!.replace(/:[^:/]+$/, ''))
  })

  it('names its objects apart from the gateway’s, so that applying one mode never rewrites the other', () => {
    const names = (list: Manifest[]) => new Set(list.filter((m) => m.object.kind !== 'Namespace').map((m) => `${m.object.kind}/${m.object.metadata.name}`))
    const theirs = names(gateway.manifests)
    for (const name of names(manifests)) expect(theirs.has(name), name).toBe(false)
  })
})

describe('HTTP overlay: Deployment, HPA and PodDisruptionBudget', () => {
  it('starts with 2 replicas and rolls with no gap (maxUnavailable 0)', () => {
    expect(deployment.spec!.replicas).toBe(2)
    expect(deployment.spec!.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } })
    expect(Number(deployment.spec!.strategy!.rollingUpdate!.maxSurge)).toBeGreaterThan(0)
    expect(podLabels).toMatchObject(deployment.spec!.selector.matchLabels!)
  })

  it('is ready on /healthz of the port HTTP_PORT serves, and leaves the Service before it stops', () => {
    expect(containerPort(bot, port)).toBe(port)
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      expect(bot[probe]?.httpGet?.path, probe).toBe('/healthz')
      expect(containerPort(bot, bot[probe]?.httpGet?.port), probe).toBe(port)
    }
    expect(bot.lifecycle?.preStop?.exec?.command).toEqual(['sleep', '5'])
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(5)
  })

  it('runs in HTTP mode with no token: the ConfigMap sets INTERACTIONS=http, nothing reads a Secret', () => {
    expect(bot.envFrom?.map((e) => e.configMapRef?.name)).toEqual([configMap.metadata!.name])
    expect(bot.env ?? []).toEqual([])
    expect(manifests.some((m) => m.object.kind === 'Secret')).toBe(false)
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true })
    expect(bot.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
    // The HPA's utilisation is a share of the CPU request: it must be set.
    expect(bot.resources?.requests?.cpu).toBeDefined()
    expect(bot.resources?.limits?.memory).toBeDefined()
  })

  it('autoscales the Deployment on CPU from 2 to 10 replicas (autoscaling/v2)', () => {
    expect(hpa.apiVersion).toBe('autoscaling/v2')
    expect(hpa.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata!.name })
    expect([hpa.spec!.minReplicas, hpa.spec!.maxReplicas]).toEqual([2, 10])
    expect(hpa.spec!.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }])
  })

  it('keeps at least one replica through voluntary disruptions, selecting the Deployment’s pods', () => {
    expect(pdb.spec!.minAvailable).toBe(1)
    expect(podLabels).toMatchObject(pdb.spec!.selector!.matchLabels!)
    expect(pdb.spec!.selector!.matchLabels).toEqual(deployment.spec!.selector.matchLabels)
  })
})

describe('HTTP overlay: Service and Ingress', () => {
  it('the Service reaches the container’s HTTP_PORT on the Deployment’s pods', () => {
    expect(podLabels).toMatchObject(service.spec!.selector!)
    const servicePort = service.spec!.ports!.find((p) => containerPort(bot, p.targetPort ?? p.port) === port)
    expect(servicePort).toBeDefined()
    expect(service.metadata!.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' })
  })

  it('the Ingress routes /interactions alone, over TLS for its one host, with a cert-manager issuer', () => {
    const rules = ingress.spec!.rules!
    expect(rules).toHaveLength(1)
    const paths = rules[0]!.http!.paths
    expect(paths.map((p) => [p.path, p.pathType])).toEqual([[INTERACTIONS_PATH, 'Exact']])
    expect(paths[0]!.backend.service!.name).toBe(service.metadata!.name)
    expect(service.spec!.ports!.map((p) => p.name)).toContain(paths[0]!.backend.service!.port!.name)
    expect(ingress.spec!.defaultBackend).toBeUndefined()
    expect(ingress.spec!.tls).toEqual([{ hosts: [rules[0]!.host], secretName: expect.any(String) }])
    expect(ingress.metadata!.annotations!['cert-manager.io/cluster-issuer']).toBeTruthy()
  })
})

describe('HTTP overlay: ConfigMap', () => {
  const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]))

  it('sets only settings documented in .env.example', () => {
    for (const key of Object.keys(configMap.data ?? {})) expect(documented.has(key), `${key} is not a setting in .env.example`).toBe(true)
  })

  it('is accepted at start-up once the public key is filled in; the placeholder is refused, naming the variable', () => {
    const config = loadBotConfig({ ...configMap.data, DISCORD_PUBLIC_KEY: 'ab'.repeat(32) })
    expect(config).toMatchObject({ interactions: 'http', httpPort: port, token: undefined })
    expect(() => loadBotConfig({ ...configMap.data })).toThrow(ConfigError)
    expect(() => loadBotConfig({ ...configMap.data })).toThrow(/^DISCORD_PUBLIC_KEY: /)
  })
})
