import '../../src/runtime/shim.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeSchedule, keepFaults, scheduleFor, type FaultKind } from '../../src/sim/explore/schedule.js'
import { boundsOf, exploreSeed } from '../../src/sim/explore/explore.js'
import { runSchedule } from '../../src/sim/explore/run.js'
import { failureKind, shrinkFaults } from '../../src/sim/explore/shrink.js'
import { parseExploreArgs } from '../../scripts/sim-explore.js'

const bounds = boundsOf({})

test('a seed is a schedule: the same seed draws the same ring, workload and faults', () => {
  assert.deepEqual(scheduleFor(7, bounds), scheduleFor(7, bounds))
  assert.notDeepEqual(scheduleFor(7, bounds).faults, scheduleFor(8, bounds).faults)
  const kinds = new Set<FaultKind>()
  for (let seed = 1; seed <= 300; seed++) {
    const s = scheduleFor(seed, bounds)
    assert.ok(s.nodes >= 8 && s.nodes <= 64, `seed ${seed}: ${s.nodes} nodes`)
    assert.ok(s.faults.length >= 1 && s.faults.length <= 8)
    for (const [i, f] of s.faults.entries()) {
      kinds.add(f.kind)
      assert.ok(f.at >= 0 && f.at < s.windowMs, `seed ${seed}: fault ${i} at ${f.at} outside the window`)
      if (i > 0) assert.ok(f.at >= s.faults[i - 1].at, 'faults in time order')
    }
    assert.ok(s.ops.every((op, i) => op.key < s.keys && (i === 0 || op.at >= s.ops[i - 1].at)))
    assert.equal(describeSchedule(s).length, s.faults.length + 1)
  }
  assert.deepEqual([...kinds].sort(), ['crash', 'delay', 'join', 'leave', 'loss', 'partition', 'restart', 'skew'])
  const s = scheduleFor(11, bounds)
  assert.deepEqual(keepFaults(s, [0]).faults, s.faults.slice(0, 1))
  assert.deepEqual(keepFaults(s, []).faults, [])
})

test('the shrinker keeps the fewest faults that still fail', async () => {
  // fails whenever faults 3 and 7 are both in
  const seen: number[][] = []
  const r = await shrinkFaults(10, async keep => {
    seen.push(keep)
    return keep.includes(3) && keep.includes(7)
  })
  assert.deepEqual(r.keep, [3, 7])
  assert.equal(r.runs, seen.length)
  // a failure that needs no fault at all shrinks to none in one rerun
  assert.deepEqual(await shrinkFaults(5, async () => true), { keep: [], runs: 1 })
  // the budget of reruns is kept
  const capped = await shrinkFaults(64, async keep => keep.length > 40, 5)
  assert.equal(capped.runs, 5)
})

test('a seed that passes replays to the same report and the same counts', async () => {
  const a = await exploreSeed(2)
  const b = await exploreSeed(2)
  assert.equal(a.failure, undefined, a.lines.join('\n'))
  assert.deepEqual(a.lines, b.lines)
  assert.deepEqual({ ...a.result }, { ...b.result })
  assert.ok(a.result.ops.readsChecked > 0, 'some reads were checked')
  assert.ok(a.result.nodeSeconds > 0)
})

test('a failing seed is reported with its schedule, replayed byte for byte, and shrunk', async () => {
  // bounds a thousandth of the presets' make the repair of any crash late: a failure on purpose
  const run = { boundScale: 0.001 }
  let seed = 1
  while (!scheduleFor(seed, bounds).faults.some(f => f.kind === 'crash')) seed++
  const first = await exploreSeed(seed, { run })
  assert.ok(first.failure != null, 'the seed failed')
  const text = first.lines.join('\n')
  assert.match(text, new RegExp(`^seed ${seed}: FAILED \\(${first.failure}\\)`))
  assert.match(text, /the schedule:/)
  assert.match(text, new RegExp(`replay: npm run sim -- explore --seeds 1 --from ${seed}`))
  assert.ok(first.keep != null && first.keep.length < scheduleFor(seed, bounds).faults.length + 1)
  assert.match(text, new RegExp(`--keep ${first.keep.join(',') || 'none'}`))
  const again = await exploreSeed(seed, { run })
  assert.deepEqual(again.lines, first.lines, 'the replay prints the same bytes')
  // the shrunk schedule fails the same way on its own
  const shrunk = await runSchedule(keepFaults(scheduleFor(seed, bounds), first.keep), run)
  assert.equal(failureKind(shrunk), first.failure)
})

test('explore parses its command line and refuses bad input', () => {
  const a = parseExploreArgs(['--seeds', '10', '--from=5', '--nodes', '8..16', '--minutes', '0.5', '--keep', '1,3'])
  assert.equal(a.seeds, 10)
  assert.equal(a.from, 5)
  assert.deepEqual([a.minNodes, a.maxNodes], [8, 16])
  assert.equal(a.minutes, 0.5)
  assert.deepEqual(a.keep, [1, 3])
  assert.deepEqual(parseExploreArgs(['--keep', 'none']).keep, [])
  const one = parseExploreArgs(['--nodes', '12'])
  assert.deepEqual([one.minNodes, one.maxNodes], [12, 12])
  const bads = [
    ['--seeds', '0'], ['--nodes', '9..8'], ['--nodes', 'x'], ['--bogus', '1'], ['--seeds'], ['--minutes', '-1']]
  for (const bad of bads) {
    assert.throws(() => parseExploreArgs(bad), { name: 'UsageError' }, bad.join(' '))
  }
})
