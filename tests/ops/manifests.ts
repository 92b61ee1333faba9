// Kubernetes manifests checked offline, shared by the gateway manifests' test and the HTTP overlay's:
// reading a kustomize folder, the kubernetes-models class of each kind, and the unknown-field check.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IContainer } from 'kubernetes-models/v1/Container'
import { Namespace } from 'kubernetes-models/v1/Namespace'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import ts from 'typescript'
import { parseAllDocuments } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const KUSTOMIZATION = 'kustomization.yaml'

/** kind → model class (for validate()) and the TypeScript interface (for the unknown-field check). */
export const MODELS = {
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', type: 'IHorizontalPodAutoscaler' },
  'networking.k8s.io/v1/Ingress': { model: Ingress, module: 'kubernetes-models/networking.k8s.io/v1/Ingress', type: 'IIngress' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, module: 'kubernetes-models/policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
} as const

export interface Manifest {
  file: string
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } }
}

export interface Kustomization {
  apiVersion: string
  kind: string
  namespace?: string
  resources?: string[]
  images?: { name: string }[]
}

/** Every YAML document of a folder (not its subfolders), the kustomization apart, and any parse problems. */
export async function loadManifests(dir: string): Promise<{ files: string[]; manifests: Manifest[]; kustomization: Kustomization | undefined; parseErrors: string[] }> {
  const files = (await readdir(dir, { withFileTypes: true })).filter((f) => f.isFile() && /\.ya?ml$/.test(f.name)).map((f) => f.name).sort()
  const manifests: Manifest[] = []
  const parseErrors: string[] = []
  let kustomization: Kustomization | undefined
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(path.join(dir, file), 'utf8'))) {
      for (const e of [...doc.errors, ...doc.warnings]) parseErrors.push(`${file}: ${e.message}`)
      const object = doc.toJS() as Manifest['object'] | null
      if (object === null) continue
      if (file === KUSTOMIZATION) kustomization = object as Kustomization
      else manifests.push({ file, object })
    }
  }
  return { files, manifests, kustomization, parseErrors }
}

/** The kubernetes-models class that validates a manifest's kind, if it is one we know. */
export function modelOf(object: Manifest['object']) {
  return MODELS[`${object.apiVersion}/${object.kind}` as keyof typeof MODELS]
}

/** A probe's or Service's port (number or container port name) as the container port number. */
export function containerPort(container: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return container.ports?.some((p) => p.containerPort === port) ? port : undefined
  return container.ports?.find((p) => p.name === port)?.containerPort
}

/** TypeScript's excess-property check against kubernetes-models' interfaces: unknown fields are errors. */
export function unknownFields(list: Manifest[], name = '__manifests__'): string[] {
  const file = path.join(ROOT, `tests/ops/${name}.ts`)
  const lines: string[] = []
  const origin: string[] = []
  list.forEach(({ object }, i) => {
    const entry = modelOf(object)
    lines.push(`import type { ${entry.type} as T${i} } from '${entry.module}'`)
  })
  list.forEach(({ file: source, object }, i) => {
    const literal = `export const m${i}: T${i} = ${JSON.stringify(object, null, 2)}`
    for (const _ of literal.split('\n')) origin.push(`${source} (${object.kind} ${object.metadata.name})`)
    lines.push(literal)
  })
  const source = lines.join('\n')
  const importLines = list.length
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    // The manifest interfaces need no more than ES5's built-in types; a small lib keeps this fast.
    lib: ['lib.es5.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile: read } = host
  host.getSourceFile = (f, language, ...rest) => (f === file ? ts.createSourceFile(f, source, language) : getSourceFile.call(host, f, language, ...rest))
  host.fileExists = (f) => f === file || fileExists.call(host, f)
  host.readFile = (f) => (f === file ? source : read.call(host, f))
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1
    const where = line >= importLines ? origin[line - importLines] : 'manifest types'
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
  })
}
