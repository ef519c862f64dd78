import { expect } from '@open-wc/testing';
import { sparklinePoints } from './sparkline.js';

// The sparkline's geometry (a pure function): the host stats test checks the drawn line in the widget.

const at = (minutes: number): string => new Date(Date.UTC(2026, 11, 2, 9, minutes)).toISOString();

describe('sparklinePoints', () => {
  it('places readings by time across the box and by count against the cap', () => {
    const points = sparklinePoints(
      [
        { at: at(0), count: 1 },
        { at: at(30), count: 5 },
        { at: at(40), count: 10 },
      ],
      10,
    );
    // x from 3 to 237 (3 units of padding), y from 45 (none) to 3 (the cap).
    expect(points).to.deep.equal([
      [3, 40.8],
      [178.5, 24],
      [237, 3],
    ]);
  });

  it('spreads readings of one moment evenly and keeps a count over the cap inside the box', () => {
    const points = sparklinePoints(
      [
        { at: at(5), count: 2 },
        { at: at(5), count: 4 },
      ],
      3,
    );
    expect(points).to.deep.equal([
      [3, 24],
      [237, 3],
    ]);
  });

  it('puts a single reading at the end, and none gives no points', () => {
    expect(sparklinePoints([{ at: at(1), count: 0 }], 10)).to.deep.equal([[237, 45]]);
    expect(sparklinePoints([], 10)).to.deep.equal([]);
  });
});
