// deploy/kubernetes, checked offline: every manifest validated against the Kubernetes API schemas
// (kubernetes-models), checked again for unknown fields (the schemas allow them, the API server
// rejects them: a typo like `readinesProbe` would otherwise pass), then for how the pieces fit:
// kustomization, probes, ports, labels, the token Secret, the ConfigMap's settings.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import type { IService } from 'kubernetes-models/v1/Service'
import { describe, expect, it } from 'vitest'
import { loadBotConfig } from '../../src/config.js'
import { containerPort, KUSTOMIZATION, loadManifests, modelOf, ROOT, unknownFields, type Manifest } from './manifests.js'

const DIR = path.join(ROOT, 'deploy/kubernetes')
/** Documented, never applied by kustomize: the real Secret is created with kubectl. */
const SECRET_EXAMPLE = 'secret.example.yaml'

const envExample = await readFile(path.join(ROOT, '.env.example'), 'utf8')
const { files, manifests, kustomization, parseErrors } = await loadManifests(DIR)

const one = <T>(kind: string, file?: string): T & Manifest['object'] => {
  const found = manifests.filter((m) => m.object.kind === kind && (file === undefined || m.file === file))
  expect(found, `exactly one ${kind}${file ? ` in ${file}` : ''}`).toHaveLength(1)
  return found[0]!.object as T & Manifest['object']
}
const applied = () => manifests.filter((m) => m.file !== SECRET_EXAMPLE)

const deployment = one<IDeployment>('Deployment')
const podSpec = deployment.spec!.template.spec!
const bot = podSpec.containers[0]!
const service = one<IService>('Service')
const configMap = one<IConfigMap>('ConfigMap')
const secretExample = one<ISecret>('Secret', SECRET_EXAMPLE)

describe('manifests: parsing and API schemas', () => {
  it('parse as YAML without errors or warnings', () => {
    expect(parseErrors).toEqual([])
    expect(manifests.length).toBeGreaterThanOrEqual(5)
  })

  it('are each a kind we validate, and pass kubernetes-models validation (types, formats, required fields)', () => {
    for (const { file, object } of manifests) {
      const entry = modelOf(object)
      expect(entry, `${file}: ${object.apiVersion} ${object.kind}`).toBeDefined()
      expect(() => new entry.model(object as never).validate(), `${file}: ${object.kind} ${object.metadata?.name}`).not.toThrow()
    }
  })

  it('the validation is real: a bad manifest fails it', () => {
    const broken = structuredClone(deployment) as unknown as { spec: { replicas: unknown; template: { spec: { containers: { resources: { limits: { cpu: unknown } } }[] } } } }
    broken.spec.replicas = 'one'
    broken.spec.template.spec.containers[0]!.resources.limits.cpu = 'lots'
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/)
  })

  it('have no unknown fields (as kubectl apply --validate=strict would reject); a misspelt field would fail', () => {
    // One compilation for both: the manifests, and a copy of the Deployment with a typo.
    const typo = structuredClone(deployment) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }
    const container = typo.spec.template.spec.containers[0]!
    container.readinesProbe = container.readinessProbe
    delete container.readinessProbe
    const problems = unknownFields([...manifests, { file: 'typo.yaml', object: typo as unknown as Manifest['object'] }])
    expect(problems.filter((p) => !p.startsWith('typo.yaml'))).toEqual([])
    expect(problems.join('\n')).toMatch(/typo\.yaml.*readinesProbe/)
  }, 30_000)
})

describe('kustomization', () => {
  it('lists every manifest in the folder, except the Secret example', () => {
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' })
    const listed = [...(kustomization!.resources ?? [])].sort()
    const expected = files.filter((f) => f !== KUSTOMIZATION && f !== SECRET_EXAMPLE).sort()
    expect(listed).toEqual(expected)
    expect(listed).not.toContain(SECRET_EXAMPLE)
  })

  it('puts everything in the namespace it creates', () => {
    const namespace = one<{ metadata: { name: string } }>('Namespace')
    expect(kustomization!.namespace).toBe(namespace.metadata.name)
    expect(secretExample.metadata!.namespace).toBe(namespace.metadata.name)
    for (const { file, object } of applied()) if (object.kind !== 'Namespace') expect(object.metadata.namespace, file).toBeUndefined()
  })

  it('can retarget the image every container uses', () => {
    const images = [...(podSpec.initContainers ?? []), ...podSpec.containers].map((c) => c.image)
    expect(new Set(images).size).toBe(1)
    expect(images[0]).toBe('ghcr.io/OWNER/k8s-course-bot:latest')
    expect(kustomization!.images?.map((i) => i.name)).toContain(images[0]!.replace(/:[^:/]+$/, ''))
  })
})

describe('Deployment', () => {
  it('runs one replica, replaced (not rolled) so that two pods never share the Discord session', () => {
    expect(deployment.spec!.replicas).toBe(1)
    expect(deployment.spec!.strategy?.type).toBe('Recreate')
  })

  it('selects its own pods', () => {
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(deployment.spec!.selector.matchLabels!)
  })

  it('probes /healthz on the container port that HTTP_PORT serves', () => {
    const port = Number(configMap.data!.HTTP_PORT)
    expect(containerPort(bot, port)).toBe(port)
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const httpGet = bot[probe]?.httpGet
      expect(httpGet?.path, probe).toBe('/healthz')
      expect(containerPort(bot, httpGet?.port), `${probe} port`).toBe(port)
    }
    // Restart only after readiness has been failing a while, not at the first blip.
    const period = (p: keyof IContainer) => ((bot[p] as { periodSeconds?: number; failureThreshold?: number }).periodSeconds ?? 10) * ((bot[p] as { failureThreshold?: number }).failureThreshold ?? 3)
    expect(period('livenessProbe')).toBeGreaterThan(period('readinessProbe'))
  })

  it('sets resource requests and limits on every container', () => {
    for (const container of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
      for (const kind of ['requests', 'limits'] as const) {
        expect(container.resources?.[kind]?.cpu, `${container.name} ${kind}.cpu`).toBeDefined()
        expect(container.resources?.[kind]?.memory, `${container.name} ${kind}.memory`).toBeDefined()
      }
    }
    expect(bot.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } })
  })

  it('takes the token from the Secret, never from a literal', () => {
    const token = bot.env?.find((e) => e.name === 'DISCORD_TOKEN')
    expect(token?.value).toBeUndefined()
    expect(token?.valueFrom?.secretKeyRef).toMatchObject({ name: secretExample.metadata!.name, key: 'DISCORD_TOKEN' })
    expect(token?.valueFrom?.secretKeyRef?.optional).not.toBe(true)
    for (const container of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
      for (const variable of container.env ?? []) expect(variable.name.match(/TOKEN|SECRET|PASSWORD/i) && variable.value, variable.name).toBeFalsy()
    }
    expect(Object.keys(configMap.data ?? {})).not.toContain('DISCORD_TOKEN')
  })

  it('reads the other settings from the ConfigMap', () => {
    expect(bot.envFrom?.map((e) => e.configMapRef?.name)).toContain(configMap.metadata!.name)
  })

  it('runs as a non-root user, without privilege escalation, on a read-only root filesystem', () => {
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true })
    expect(podSpec.securityContext!.runAsUser).toBeGreaterThan(0)
    expect(podSpec.automountServiceAccountToken).toBe(false)
    for (const container of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
      expect(container.securityContext, container.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
    }
  })

  it('gives the bot a writable /app/data seeded with the index built into the image', () => {
    const data = bot.volumeMounts?.find((m) => m.mountPath === '/app/data')
    expect(data, '/app/data is mounted').toBeDefined()
    expect(podSpec.volumes?.find((v) => v.name === data!.name)?.emptyDir).toBeDefined()
    const seed = podSpec.initContainers?.find((c) => c.volumeMounts?.some((m) => m.name === data!.name))
    expect(seed, 'an init container fills the data volume').toBeDefined()
    const seedMount = seed!.volumeMounts!.find((m) => m.name === data!.name)!.mountPath
    expect(seed!.command).toEqual(['cp', '/app/data/library.idx', `${seedMount}/library.idx`])
    // /app/data is the image's default INDEX_PATH folder; the ConfigMap does not move it.
    expect(configMap.data?.INDEX_PATH).toBeUndefined()
  })
})

describe('Service', () => {
  it('selects the Deployment’s pods', () => {
    const podLabels = deployment.spec!.template.metadata!.labels!
    expect(Object.keys(service.spec!.selector!).length).toBeGreaterThan(0)
    expect(podLabels).toMatchObject(service.spec!.selector!)
  })

  it('exposes the metrics port as ClusterIP, with the Prometheus scrape annotations', () => {
    expect(service.spec!.type ?? 'ClusterIP').toBe('ClusterIP')
    const metricsPort = Number(configMap.data!.HTTP_PORT)
    const port = service.spec!.ports!.find((p) => containerPort(bot, p.targetPort ?? p.port) === metricsPort)
    expect(port, 'a Service port reaches the container’s HTTP_PORT').toBeDefined()
    expect(service.metadata!.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metricsPort),
      'prometheus.io/path': '/metrics',
    })
  })
})

describe('ConfigMap and Secret', () => {
  const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]))

  it('sets only real settings, each documented in .env.example', () => {
    const keys = Object.keys(configMap.data ?? {})
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(documented.has(key), `${key} is not a setting in .env.example`).toBe(true)
  })

  it('holds values the bot accepts at start-up', () => {
    const config = loadBotConfig({ ...configMap.data, DISCORD_TOKEN: 'placeholder.token.value' })
    expect(config.httpPort).toBe(Number(configMap.data!.HTTP_PORT))
    expect(config.logLevel).toBe(configMap.data!.LOG_LEVEL)
  })

  it('the Secret example names the key the Deployment reads and holds only a placeholder', () => {
    expect(secretExample.type).toBe('Opaque')
    expect(Object.keys(secretExample.stringData ?? {})).toEqual(['DISCORD_TOKEN'])
    expect(secretExample.data).toBeUndefined()
    expect(secretExample.stringData!.DISCORD_TOKEN).toMatch(/^REPLACE/)
    expect(documented.has('DISCORD_TOKEN')).toBe(true)
  })
})
