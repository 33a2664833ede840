import { describe, expect, it } from 'vitest';
import { atScannerSpeed } from './useScanner';

function keysEvery(gaps: number[]): number[] {
  const times = [0];
  for (const g of gaps) times.push(times.at(-1)! + g);
  return times;
}

describe('atScannerSpeed', () => {
  it('takes a 13-digit barcode typed a few milliseconds apart as a scan', () => {
    expect(atScannerSpeed(keysEvery(Array(12).fill(8)))).toBe(true);
  });

  it('still takes it when a busy laptop held up two of the keys for a quarter of a second', () => {
    const gaps = Array(12).fill(9);
    gaps[3] = 260;
    gaps[8] = 240;
    expect(atScannerSpeed(keysEvery(gaps))).toBe(true);
  });

  it('takes a code typed by hand, even by a quick typist, as typing', () => {
    expect(atScannerSpeed(keysEvery([120, 110, 140, 95, 130]))).toBe(false);
    expect(atScannerSpeed(keysEvery([70, 65, 80, 60, 75, 90]))).toBe(false);
  });

  it('needs at least four keys to call anything a scan', () => {
    expect(atScannerSpeed(keysEvery([2, 2]))).toBe(false);
    expect(atScannerSpeed([])).toBe(false);
  });
});
