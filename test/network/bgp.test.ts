import assert from 'node:assert/strict';
import { describeUpDown, formatDuration, interpretStatePfxRcd, parseUpDownSeconds, pathBgpState } from '../../src/network/bgp';
import { neighbour } from './circuit-fixture';

describe('bgp', () => {
  it('should read a number as Established with that many prefixes', () => {
    assert.deepEqual(interpretStatePfxRcd('42'), { established: true, state: 'Established', prefixes: 42 });
    assert.deepEqual(interpretStatePfxRcd('0'), { established: true, state: 'Established', prefixes: 0 });
  });
  for (const state of ['Idle', 'Active', 'Connect', 'OpenSent', 'Idle (Admin)']) {
    it(`should read '${state}' as down`, () => {
      assert.deepEqual(interpretStatePfxRcd(state), { established: false, state });
    });
  }
  it('should parse the Up/Down column formats', () => {
    assert.equal(parseUpDownSeconds('00:12:34'), 754);
    assert.equal(parseUpDownSeconds('1d02h'), 93600);
    assert.equal(parseUpDownSeconds('3w2d'), 23 * 86400);
    assert.equal(parseUpDownSeconds('never'), undefined);
    assert.equal(parseUpDownSeconds(''), undefined);
  });
  it('should format durations with two units', () => {
    assert.equal(formatDuration(93600), '1d 2h');
    assert.equal(formatDuration(45), '45s');
    assert.equal(formatDuration(0), '0s');
  });
  it('should describe how long a session has been up or down', () => {
    assert.equal(describeUpDown(neighbour(12, { upDown: '1d02h' })), 'up 1d 2h');
    assert.equal(describeUpDown(neighbour('Idle', { upDown: '00:05:00' })), 'down 5m');
    assert.equal(describeUpDown(neighbour('Idle', { upDown: 'never' })), 'never');
  });
  it('should call a path up only when every neighbour is Established', () => {
    assert.deepEqual(pathBgpState([neighbour(10), neighbour(5, { neighbor: '2001:db8::1' })]), { up: true, prefixes: 15 });
    const mixed = pathBgpState([neighbour(10), neighbour('Active', { neighbor: '10.0.0.9' })]);
    assert.equal(mixed.up, false);
    assert.match(mixed.problem ?? '', /10\.0\.0\.9 Active/);
    assert.equal(pathBgpState([]).up, false);
  });
});
