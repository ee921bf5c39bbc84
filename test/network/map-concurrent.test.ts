import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mapWeighted } from '../../src/network/map-concurrent';

/** A promise the test settles by hand, to hold items in flight for as long as it likes. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Lets every settled promise's reactions run (mapWeighted starts items from microtasks). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapWeighted', () => {
  it('should start items only while the weights in flight stay within the budget, and give results in input order', async () => {
    const weights = [20, 15, 10, 30, 5];
    const gates = weights.map(() => gate());
    const started: number[] = [];
    const run = mapWeighted(
      weights,
      40,
      (w) => w,
      async (w, i) => {
        started.push(i);
        await gates[i]!.promise;
        return w * 10;
      },
    );
    await settle();
    assert.deepEqual(started, [0, 1], '20 + 15 fit in 40; 10 more would not');
    gates[0]!.open();
    await settle();
    assert.deepEqual(started, [0, 1, 2], 'with 20 done, 15 + 10 are in flight; 30 more would not fit');
    gates[1]!.open();
    gates[2]!.open();
    await settle();
    assert.deepEqual(started, [0, 1, 2, 3, 4], '30 + 5 fit');
    gates[4]!.open();
    gates[3]!.open();
    assert.deepEqual(await run, [200, 150, 100, 300, 50]);
  });

  it('should run an item heavier than the whole budget, alone', async () => {
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const run = mapWeighted(
      [1, 100, 1],
      10,
      (w) => w,
      async (_w, i) => {
        started.push(i);
        await gates[i]!.promise;
        return i;
      },
    );
    await settle();
    assert.deepEqual(started, [0]);
    gates[0]!.open();
    await settle();
    assert.deepEqual(started, [0, 1], 'the heavy one starts once nothing else is in flight');
    gates[1]!.open();
    await settle();
    assert.deepEqual(started, [0, 1, 2]);
    gates[2]!.open();
    assert.deepEqual(await run, [0, 1, 2]);
  });

  it('should start no more items after a failure, and reject with the first once those in flight settle', async () => {
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    let settled = false;
    const run = mapWeighted(
      [1, 1, 1],
      2,
      () => 1,
      async (_w, i) => {
        started.push(i);
        await gates[i]!.promise;
        return i;
      },
    );
    run.then(
      () => (settled = true),
      () => (settled = true),
    );
    await settle();
    gates[0]!.fail(new Error('tenant A failed'));
    await settle();
    assert.deepEqual(started, [0, 1], 'the third item never starts');
    assert.equal(settled, false, 'the second item is still in flight');
    gates[1]!.fail(new Error('tenant B failed too'));
    await assert.rejects(run, /tenant A failed/);
  });

  it('should take a function that throws before it returns a promise as that item failing', async () => {
    const run = mapWeighted(
      [1, 1],
      1,
      () => 1,
      (_w, i) => {
        if (i === 0) throw new Error('thrown at once');
        return Promise.resolve(i);
      },
    );
    await assert.rejects(run, /thrown at once/);
  });

  it('should treat a weight that is not a positive number as nothing, and an empty list as an empty answer', async () => {
    assert.deepEqual(
      await mapWeighted(
        [],
        1,
        () => 1,
        () => Promise.resolve(1),
      ),
      [],
    );
    const inFlight: number[] = [];
    let most = 0;
    await mapWeighted(
      [Number.NaN, -3, 0],
      0,
      (w) => w,
      async () => {
        inFlight.push(1);
        most = Math.max(most, inFlight.length);
        await settle();
        inFlight.pop();
      },
    );
    assert.equal(most, 3, 'weightless items all run at once');
  });

  it('should never hold more than the budget in flight, unless one item alone is heavier (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 60 }),
        async (weights, budget) => {
          let inUse = 0;
          let running = 0;
          const out = await mapWeighted(
            weights,
            budget,
            (w) => w,
            async (w, i) => {
              inUse += w;
              running += 1;
              assert.ok(inUse <= budget || running === 1, `${inUse} in flight with a budget of ${budget}`);
              await settle();
              inUse -= w;
              running -= 1;
              return i;
            },
          );
          assert.deepEqual(
            out,
            weights.map((_w, i) => i),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
