import '../../src/runtime/shim.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { EXPERIMENTS, parseSimArgs, UsageError } from '../../src/sim/experiments/index.js'

/** The `npm run sim` command line; the experiments themselves are in experiments.scale.test.ts. */

describe('npm run sim command line', () => {
  test('parses an experiment and its options', () => {
    const args = parseSimArgs(['path-length', '--nodes', '1024', '--keys=10', '--seed', '3', '--out', '/tmp/x'])
    assert.equal(args.experiment?.name, 'path-length')
    assert.equal(args.nodes, 1024)
    assert.equal(args.keys, 10)
    assert.equal(args.seed, 3)
    assert.equal(args.out, '/tmp/x')
    assert.equal(parseSimArgs(['--help']).help, true)
    assert.deepEqual(EXPERIMENTS.map(e => e.name),
      ['path-length', 'failures', 'churn', 'load-balance', 'gossip-detection', 'durability'])
  })

  test('rejects unknown experiments and bad flags with one clear line', () => {
    const bad: Array<[string[], RegExp]> = [
      [['nope'], /unknown experiment 'nope'/],
      [[], /no experiment/],
      [['churn', '--frobnicate', '1'], /unknown option --frobnicate/],
      [['churn', '--nodes', 'many'], /--nodes must be an integer/],
      [['churn', '--nodes'], /--nodes needs a value/],
      [['churn', '--keys', '-1'], /--keys must be a positive number/],
      [['churn', 'failures'], /one experiment at a time/]
    ]
    for (const [argv, message] of bad) {
      const oneClearLine = (err: Error): boolean =>
        err instanceof UsageError && message.test(err.message) && !err.message.includes('\n')
      assert.throws(() => parseSimArgs(argv), oneClearLine, argv.join(' '))
    }
  })
})
