/**
 * The layering of the code base (README, "How it is built"): every relative
 * import points to a layer below its own, or stays inside its own folder.
 * Folders of one layer do not import each other, so no folder cycle can form.
 */
import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Bottom first; a unit may import only from units of lower layers (and from itself). */
export const LAYERS: string[][] = [
  ['src/runtime', 'src/config', 'src/ring'],
  ['src/wire'],
  ['src/chord', 'src/membership', 'src/kv'],
  ['src/node'],
  ['src/net', 'src/sim'],
  ['src/peer'],
  ['src/client'],
  ['src/http'],
  ['src/index.ts'],
  ['daemon'],
  ['scripts']
]

/** The unit (folder of a layer, or src/index.ts) a file belongs to. */
export function unitOf (file: string): string | undefined {
  for (const layer of LAYERS) {
    for (const unit of layer) {
      if (file === unit || file.startsWith(`${unit}/`)) return unit
    }
  }
  return undefined
}

function rankOf (unit: string): number {
  return LAYERS.findIndex(layer => layer.includes(unit))
}

// `import … from '…'` or `export … from '…'`, a bare `import '…'`, and a dynamic `import('…')`
const FROM_IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*'(\.{1,2}\/[^']+)'/
const BARE_IMPORT = /(?:^|\n)\s*import\s*'(\.{1,2}\/[^']+)'/
const DYNAMIC_IMPORT = /\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/
const IMPORT = new RegExp([FROM_IMPORT, BARE_IMPORT, DYNAMIC_IMPORT].map(r => r.source).join('|'), 'g')

/** Relative imports of one source text, as paths from the repository root. */
export function importsOf (file: string, text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]
    out.push(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'))
  }
  return out
}

/** Every import that points up a layer or sideways into another folder of the same layer. */
export function violations (files: Array<{ file: string, text: string }>): string[] {
  const out: string[] = []
  for (const { file, text } of files) {
    const from = unitOf(file)
    if (from == null) continue
    for (const target of importsOf(file, text)) {
      const to = unitOf(target)
      if (to == null || to === from) continue
      if (rankOf(to) >= rankOf(from)) out.push(`${file} imports ${target} (${from} may not import ${to})`)
    }
  }
  return out
}

function sourceFiles (dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (entry.name.endsWith('.ts')) out.push(path)
  }
  return out
}

test('every import points down a layer', () => {
  const files = ['src', 'daemon', 'scripts'].flatMap(sourceFiles)
    .map(file => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }))
  const unplaced = files.filter(f => unitOf(f.file) == null).map(f => relative(ROOT, join(ROOT, f.file)))
  assert.deepEqual(unplaced, [], 'every source file belongs to a layer')
  assert.deepEqual(violations(files), [])
})

test('the check catches an upward import, a sideways one, and accepts a downward one', () => {
  const bad = violations([
    { file: 'src/wire/x.ts', text: "import { KvNode } from '../kv/kv-node.js'" },
    { file: 'src/net/y.ts', text: "import type { RingSim } from '../sim/ring-sim.js'" },
    { file: 'src/kv/z.ts', text: "export { a } from '../ring/id.js'\nimport '../runtime/shim.js'" }
  ])
  assert.equal(bad.length, 2)
  assert.match(bad[0], /src\/wire may not import src\/kv/)
  assert.match(bad[1], /src\/net may not import src\/sim/)
})
