import { randomBytes } from 'node:crypto'
import { mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isInside } from './paths.js'

/**
 * Write `content` to `root/relFile` so that the file is either absent, the old version or the complete new
 * one, never partial: write a temporary file in the same folder (so the rename stays on one filesystem and
 * is atomic), then rename it over the target. The temporary name starts with a dot, so if the process is
 * killed mid-write, the corpus loader ignores the leftover.
 *
 * The folder is checked after resolving symlinks, so a link planted inside `root` cannot lead the write out.
 */
export async function saveAtomic(root: string, relFile: string, content: string): Promise<string> {
  const target = path.resolve(root, relFile)
  if (!isInside(root, target)) throw new Error(`refusing to write ${relFile}: outside ${root}`)
  const dir = path.dirname(target)
  await mkdir(dir, { recursive: true })
  if (!isInside(await realpath(root), await realpath(dir))) throw new Error(`refusing to write ${relFile}: its folder resolves outside ${root}`)
  const temporary = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, content, { flag: 'wx' })
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  return target
}
