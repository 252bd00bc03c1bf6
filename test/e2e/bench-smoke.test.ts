import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { removeDir, tempDir } from '../helpers/daemons.js'

const run = promisify(execFile)
const BENCH = fileURLToPath(new URL('../../dist/scripts/bench.js', import.meta.url))

const latency = (id: string): string[] => [`${id}.p50Ms`, `${id}.p99Ms`]
const phase = (id: string): string[] => [...latency(id), `${id}.opsPerSec`]
const aeRound = (r: string): string[] =>
  ['summariesRead', 'entriesRead', 'moved', 'requests', 'cpuMs', 'wallMs'].map(f => `antiEntropy.${r}.${f}`)
const ring = (mode: string): string[] =>
  [...latency(`security.${mode}.get`), ...latency(`security.${mode}.put`),
    `security.${mode}.getsPerSec`, `security.${mode}.idleCpuPercent`]

/** Every figure the table prints, by its id in the JSON's `figures`. */
const FIGURES = [
  ...latency('floor.tcp'), ...latency('floor.libp2pOpenStream'), ...latency('floor.libp2pNewStream'),
  ...latency('ours.perHop'), ...phase('ours.lookup'),
  ...phase('ours.put'), ...phase('ours.get'), ...phase('ours.putThroughput'), ...phase('ours.getThroughput'),
  'ours.freshClient.connectMs', 'ours.freshClient.firstGetMs', ...phase('ours.freshClient.gets'),
  ...phase('ours.getViaDaemon'), ...phase('ours.getThroughputViaDaemon'),
  'ours.getThroughputCpu.getsPerCoreSecond', 'ours.getThroughputCpu.daemonsCpuMs',
  'ours.getThroughputCpu.clientCpuMs', 'ours.getThroughputCpu.coresBusy',
  ...latency('ours.cli.cliWall'), ...latency('ours.cli.nodeBareWall'),
  ...latency('kad.defaults.put'), ...latency('kad.defaults.get'), 'kad.defaults.getThroughput.opsPerSec',
  ...latency('kad.kReplicas.put'), ...latency('kad.kReplicas.get'), 'kad.kReplicas.getThroughput.opsPerSec',
  'ours.footprint.idleCpuPercent.max', 'ours.footprint.idleCpuPercent.mean',
  'ours.footprint.idleRssMB.max', 'ours.footprint.idleRssMB.mean',
  'ours.footprint.idleTraffic.maxBytesPerSec', 'ours.footprint.idleTraffic.meanBytesPerSec',
  'ours.footprint.loadedRssMB.max',
  'antiEntropy.loadMs', 'antiEntropy.buildMs', ...aeRound('inSync'), ...aeRound('diverged'),
  ...ring('open'), ...ring('private'),
  'security.privateOverOpen.getP50', 'security.privateOverOpen.putP50',
  'security.privateOverOpen.getsPerSec', 'security.privateOverOpen.idleCpu',
  'security.claims.verifyCertUs', 'security.claims.signCertUs', 'security.claims.verifyHeartbeatStepUs',
  'security.claims.ownBeatUs', 'security.claims.mergeDigest16Us', 'security.claims.drawChainMs',
  'security.claims.entryBytesWithProofs', 'security.claims.entryBytesPlain'
]

/** Every target judged, by its id in the JSON's `verdicts`. */
const VERDICTS = [
  'perHopVsOpenStream', 'getP50InOpenStreamRtts', 'getFreshP50InOpenStreamRtts', 'putP50InOpenStreamRtts',
  'getP99OverP50', 'getFreshP99OverP50', 'putP99OverP50', 'getThroughput', 'cliOverNodeBare',
  'idleCpuPercentMax', 'idleRssMBMax', 'idleTrafficBytesPerSecMax',
  'antiEntropyInSyncSummaries', 'antiEntropyDivergedEntries', 'antiEntropyDivergedMoved',
  'getP50VsKadDht', 'throughputVsKadDht'
]

/** Every number in the figures must be a finite, non-negative number. */
function assertNumbers (value: unknown, path: string): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value) && value >= 0, `${path} = ${value}`)
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => { assertNumbers(v, `${path}[${i}]`) })
  } else if (value != null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertNumbers(v, `${path}.${k}`)
  }
}

test('npm run bench, small: prints the table, writes every figure and verdict, ' +
  'and every get (library, CLI, open and private ring) was right', { timeout: 900_000 }, async (t) => {
  const out = await tempDir('chord-bench-out-')
  try {
    const { stdout } = await run(process.execPath, [
      BENCH, '--nodes', '4', '--ops', '50', '--baseline-ops', '10', '--fresh-ops', '30', '--cli-runs', '3',
      '--footprint-keys', '300', '--traffic-window', '2s', '--idle-settle', '0s',
      '--ae-keys', '10000', '--ae-differing', '100', '--security-nodes', '4', '--out', out
    ], { timeout: 840_000 })
    for (const row of [/floor: raw TCP round trip/, /warm: get, one at a time/, /fresh: its first 30 gets/,
      /chord --peer … get <key> --json \(3 runs\)/, /node -e 0/, /gets per core-second/, /kad-dht defaults: get/,
      /idle, per daemon/, /anti-entropy/, /private ÷ open: get p50/, /signed claims/, /targets \(issue 15/]) {
      assert.match(stdout, row)
    }
    const files = await readdir(out)
    assert.equal(files.length, 1)
    const result = JSON.parse(await readFile(join(out, files[0]), 'utf8'))
    assert.equal(result.format, 'chord-bench/2')

    assert.equal(result.antiEntropy.error, undefined, `anti-entropy failed: ${result.antiEntropy.error}`)
    for (const id of FIGURES) {
      const f = result.figures[id]
      assert.ok(f != null, `figure ${id} missing`)
      assert.equal(typeof f.unit, 'string', `${id}.unit`)
      assert.ok(typeof f.what === 'string' && f.what !== '', `${id}.what`)
      assert.ok(typeof f.value === 'number' && Number.isFinite(f.value) && f.value >= 0, `${id} = ${f.value}`)
    }
    const unknown = Object.keys(result.figures).filter(id => !FIGURES.includes(id))
    assert.deepEqual(unknown, [], 'figures the test does not know')
    assert.deepEqual(result.verdicts.map((v: { id: string }) => v.id), VERDICTS)
    for (const v of result.verdicts) {
      assert.equal(typeof v.met, 'boolean', `verdict ${v.id} judged`)
      assert.equal(typeof v.measured, 'number', `verdict ${v.id} measured`)
      assert.equal(typeof v.bound, 'number', `verdict ${v.id} bound`)
    }
    assertNumbers(result.floor, 'floor')
    assertNumbers(result.ours, 'ours')

    assert.equal(result.allGetsCorrect, true, 'every get returned what was put')
    for (const p of ['get', 'getThroughput', 'getViaDaemon', 'getThroughputViaDaemon']) {
      assert.equal(result.ours[p].errors + result.ours[p].wrong, 0, `ours.${p}: errors and wrong gets`)
    }
    assert.equal(result.ours.freshClient.gets.errors + result.ours.freshClient.gets.wrong, 0, 'fresh client gets')
    assert.equal(result.ours.cli.runs, 3)
    assert.equal(result.ours.cli.errors + result.ours.cli.wrong, 0, `CLI gets: ${result.ours.cli.firstFailure}`)
    assert.deepEqual(result.security.rings.map((r: { mode: string }) => r.mode), ['open', 'private'])
    for (const r of result.security.rings) assert.equal(r.errors, 0, `${r.mode} ring: errors`)
    t.diagnostic(`get p50 ${result.ours.get.latencyMs.p50.toFixed(2)} ms, ` +
      `kad-dht ${result.kad.defaults.getLatencyMs.p50.toFixed(1)} ms`)
  } finally {
    await removeDir(out)
  }
})
