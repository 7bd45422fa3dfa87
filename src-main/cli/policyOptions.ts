// The Lake replay's policy options, shared by the commands that replay (replay, export).
import { Option, type Command } from 'commander'
import type { LakeReplayPolicyParams } from '../../src-shared/params'

export interface PolicyOptions {
  readonly seed?: 'auto' | 'progressive'
  readonly burstClear?: 'full' | 'range'
  /** Milliseconds, or -1 for "off". */
  readonly reseedAfterCrossed?: number
}

export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--seed <policy>',
        'a day without a book row or snapshot burst at its start: fail (auto) or build the book from the deltas (progressive)'
      ).choices(['auto', 'progressive'])
    )
    .addOption(
      new Option('--burst-clear <mode>', 'a snapshot burst clears').choices(['full', 'range'])
    )
    .option(
      '--reseed-after-crossed <ms>',
      'reseed from the next book row after this long crossed; "off" to never',
      // commander turns a parser's null into '', so "off" travels as -1 until the params.
      (v) => (v === 'off' ? -1 : Number.parseInt(v, 10))
    )
}

export function policyParams(o: PolicyOptions): LakeReplayPolicyParams {
  return {
    ...(o.seed ? { seed: o.seed } : {}),
    ...(o.burstClear ? { burstClear: o.burstClear } : {}),
    ...(o.reseedAfterCrossed !== undefined
      ? { reseedAfterCrossedMs: o.reseedAfterCrossed < 0 ? null : o.reseedAfterCrossed }
      : {})
  }
}
