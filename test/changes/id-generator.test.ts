import { strict as assert } from 'node:assert';
import { TYPEABLE_ALPHABET as ALPHABET, typeableId } from '../../src/changes/id-generator';

describe('typeable ids', () => {
  it('should be the prefix and 7 characters of the typeable alphabet, different each time, across refills of the pool', () => {
    // 256 ids a refill: 2,000 ids go through several.
    const ids = Array.from({ length: 2_000 }, () => typeableId('AL-'));
    for (const id of ids) assert.match(id, new RegExp(`^AL-[${ALPHABET}]{7}$`));
    assert.equal(ALPHABET.length, 32, 'each character is 5 bits of a random byte');
    assert.equal(new Set(ids).size, ids.length);
  });

  it('should use every character of the alphabet about as often as the others', () => {
    const counts = new Map<string, number>();
    const n = 4_000;
    for (let i = 0; i < n; i++) for (const ch of typeableId('').split('')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), ALPHABET.split('').sort());
    // 28,000 characters, 875 expected of each; a uniform draw stays well within ±20% (about 6 standard deviations).
    const expected = (n * 7) / ALPHABET.length;
    for (const [ch, count] of counts) assert.ok(Math.abs(count - expected) < expected * 0.2, `${ch}: ${count} against ${expected}`);
  });
});
