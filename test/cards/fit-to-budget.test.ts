import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { adaptiveCard, cardBytes, fitToBudget, text } from '../../src/cards/card-kit';

/** A card of `shown` entries of `sizes[i]` characters each, recording every size it was built at. */
function entries(sizes: readonly number[], built: number[]) {
  return (shown: number) => {
    built.push(shown);
    return adaptiveCard([...sizes.slice(0, shown).map((n) => text('x'.repeat(n))), text(`${sizes.length - shown} more`)]);
  };
}

describe('cards: fitting a card to the budget', () => {
  it('should show the most entries that fit, as trying every count would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 120 }),
        fc.integer({ min: 200, max: 20_000 }),
        (sizes, budget) => {
          const card = fitToBudget(sizes.length, entries(sizes, []), budget);
          const build = entries(sizes, []);
          let most = 0;
          for (let shown = 1; shown <= sizes.length; shown++) if (cardBytes(build(shown)) <= budget) most = shown;
          assert.deepEqual(card, build(most));
        },
      ),
    );
  });

  it('should never build a card of 2,000 alerts whole when a dozen fill it', () => {
    const built: number[] = [];
    const card = fitToBudget(2_000, entries(new Array<number>(2_000).fill(2_000), built));
    // 2 KB entries in a 27 KB budget: 13 fit.
    assert.equal(card.body.length, 14);
    assert.ok(Math.max(...built) <= 32, `built at ${built.join(', ')}`);
    assert.ok(built.length <= 10, `built ${built.length} times`);
  });

  it('should find the whole card when it fits only without its "more" note', () => {
    // Four entries and the note are over the budget; all five, without the note, are not.
    const sizes = [300, 300, 300, 300, 300];
    const build = (shown: number) =>
      adaptiveCard([...sizes.slice(0, shown).map((n) => text('x'.repeat(n))), ...(shown < sizes.length ? [text('y'.repeat(900))] : [])]);
    const budget = cardBytes(build(5));
    assert.ok(cardBytes(build(4)) > budget);
    assert.equal(fitToBudget(5, build, budget).body.length, 5);
  });

  it('should build the whole card when it fits, and one with none of them when nothing does', () => {
    const built: number[] = [];
    assert.equal(fitToBudget(5, entries([10, 10, 10, 10, 10], built)).body.length, 6);
    assert.deepEqual(built, [5]);
    assert.equal(fitToBudget(3, entries([40_000, 1, 1], []), 1_000).body.length, 1);
    assert.equal(fitToBudget(0, entries([], [])).body.length, 1);
  });
});
