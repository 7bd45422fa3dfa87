import { describe, expect, it } from 'vitest'
import {
  decimalToUnits,
  detectTick,
  FloatGrid,
  floatToLots,
  PriceGrid,
  toLots,
  unitsToDecimal
} from '../../../src-shared/units'

describe('decimalToUnits', () => {
  it('parses Binance decimal strings exactly', () => {
    expect(decimalToUnits('61837.63000000', 2)).toBe(6183763)
    expect(toLots('0.00105000')).toBe(105000)
    expect(toLots('3.78826000')).toBe(378826000)
    expect(toLots('0')).toBe(0)
    expect(toLots('12')).toBe(1_200_000_000)
  })
  it('rejects what is not a plain decimal on the scale', () => {
    expect(decimalToUnits('61837.631', 2)).toBeNaN()
    expect(decimalToUnits('-1', 2)).toBeNaN()
    expect(decimalToUnits('1e5', 2)).toBeNaN()
    expect(decimalToUnits('1.2.3', 2)).toBeNaN()
    expect(decimalToUnits('', 2)).toBeNaN()
    expect(decimalToUnits('.', 2)).toBeNaN()
    expect(decimalToUnits('NaN', 2)).toBeNaN()
    expect(decimalToUnits('99999999999.99999999', 8)).toBeNaN() // beyond 2^53
  })
  it('round-trips through unitsToDecimal', () => {
    for (const s of ['0.00000001', '61837.63000000', '100.00000000', '0.10000000']) {
      expect(unitsToDecimal(toLots(s), 8)).toBe(s)
    }
  })
})

describe('PriceGrid', () => {
  it('converts to ticks and back for power-of-ten and other ticks', () => {
    const g = new PriceGrid('0.01')
    expect(g.toTicks('61837.63000000')).toBe(6183763)
    expect(g.toDecimal(6183763)).toBe('61837.63')
    expect(g.toNumber(6183763)).toBe(61837.63)
    const five = new PriceGrid('0.05')
    expect(five.toTicks('1.15')).toBe(23)
    expect(five.toTicks('1.12')).toBeNaN()
    expect(new PriceGrid('0.1').toTicks('65000.1')).toBe(650001)
  })
  it('refuses float prices that are not positive whole ticks and sizes beyond exact lots (synthetic)', () => {
    const g = new FloatGrid('0.01')
    expect(g.toTicks(61837.63)).toBe(6183763)
    expect(g.toTicks(5e-324)).toBeNaN() // would round to a price of 0
    expect(g.toTicks(0)).toBeNaN()
    expect(g.toTicks(-0.01)).toBeNaN()
    expect(floatToLots(1.54698)).toBe(154698000)
    expect(floatToLots(0)).toBe(0)
    expect(floatToLots(1e20)).toBeNaN() // 1e28 lots: not exact in a double
    expect(floatToLots(90_071_992.54740991)).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('refuses a bad tick', () => {
    expect(() => new PriceGrid('0')).toThrow(/invalid tick/)
    expect(() => new PriceGrid('abc')).toThrow(/invalid tick/)
  })
})

describe('detectTick', () => {
  it('finds the finest decimal place used', () => {
    expect(detectTick(['1.23000', '4.5', '7'])).toBe('0.01')
    expect(detectTick(['10', '20'])).toBe('1')
    expect(detectTick(['0.97100000', '0.97300000'])).toBe('0.001')
  })
})
