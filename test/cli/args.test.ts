import { describe, expect, it } from 'vitest'
import { durationOption } from '../../main/cli/args.ts'

describe('durations on the command line', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['4h', 14_400_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
  ])('%s is %d ms', (text, ms) => {
    expect(durationOption(text, '--give-up-after')).toBe(ms)
  })

  it('refuses what is not a duration, naming the flag', () => {
    expect(() => durationOption('soon', '--give-up-after')).toThrow('--give-up-after wants a duration such as 90s, 30m, 4h or 2d, not "soon"')
    expect(() => durationOption('0s', '--give-up-after')).toThrow('--give-up-after')
    expect(() => durationOption('4', '--give-up-after')).toThrow('--give-up-after wants a duration with its unit, such as 90s, 30m, 4h or 2d: "4" could be seconds or hours')
    expect(durationOption(undefined, '--give-up-after')).toBeUndefined()
  })
})
