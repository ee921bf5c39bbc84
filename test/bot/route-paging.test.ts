import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, buttonOf, buttonsOf, clickFinal, intentOf, linesOf, textOf } from '../support/cards';
import { ENGINEER } from '../support/demo-world';
import { BIG_TABLE_CIRCUIT, BIG_TABLE_ROUTES, bigTableNetwork, fleetWithBigRouteTable } from '../support/fleets';
import { TEAMS_CARD_LIMIT_BYTES } from '../cards/card-check';

interface PageFacts {
  first: number;
  last: number;
  total: number;
  page: number;
  pages: number;
  networks: string[];
  bytes: number;
}

/** What the user reads on a routes card: "Rows a–b of N · page p of P" and the networks listed. */
function pageFacts(card: Record<string, unknown>): PageFacts {
  const text = textOf(card);
  const m = /Rows (\d+)–(\d+) of (\d+)(?: overlapping \S+)? · page (\d+) of (\d+)/.exec(text);
  assert.ok(m, `no row range on the card:\n${text.slice(0, 500)}`);
  const [, first, last, total, page, pages] = m.map(Number) as [number, number, number, number, number, number];
  return {
    first,
    last,
    total,
    page,
    pages,
    networks: linesOf(card).filter((l) => /^10\.\d+\.\d+\.0\/24$/.test(l)),
    bytes: Buffer.byteLength(JSON.stringify(card)),
  };
}

function assertPage(facts: PageFacts, expected: { page: number; pages: number; total: number; pageSize: number }): void {
  const first = (expected.page - 1) * expected.pageSize + 1;
  const last = Math.min(expected.total, expected.page * expected.pageSize);
  assert.deepEqual(
    { first: facts.first, last: facts.last, total: facts.total, page: facts.page, pages: facts.pages },
    { first, last, total: expected.total, page: expected.page, pages: expected.pages },
  );
  assert.equal(facts.networks.length, last - first + 1, 'one row per route in the range');
  assert.equal(facts.networks[0], bigTableNetwork(first - 1), 'the page starts at its first row');
  assert.equal(facts.networks.at(-1), bigTableNetwork(last - 1), 'the page ends at its last row');
  assert.ok(facts.bytes < TEAMS_CARD_LIMIT_BYTES, `page ${facts.page} is ${facts.bytes} bytes`);
}

describe('bot: paging through a 10,000-route table', function () {
  this.timeout(60_000);
  let h: Harness;
  const PAGE = 50;
  before(async () => {
    h = await Harness.start({ fleet: fleetWithBigRouteTable() });
  });
  after(async () => h?.stop());

  it('shows page 1 of 200, then Next and Previous from the card move one page at a time', async () => {
    const first = await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1');
    const pages = BIG_TABLE_ROUTES / PAGE;
    assertPage(pageFacts(first), { page: 1, pages, total: BIG_TABLE_ROUTES, pageSize: PAGE });
    assert.equal(
      buttonsOf(first).some((b) => b.title.includes('Previous')),
      false,
      'no Previous on page 1',
    );

    const second = await clickFinal(h, ENGINEER, buttonOf(first, /Next/));
    assertPage(pageFacts(second), { page: 2, pages, total: BIG_TABLE_ROUTES, pageSize: PAGE });
    const third = await clickFinal(h, ENGINEER, buttonOf(second, /Next/));
    assertPage(pageFacts(third), { page: 3, pages, total: BIG_TABLE_ROUTES, pageSize: PAGE });
    const back = await clickFinal(h, ENGINEER, buttonOf(third, /Previous/));
    assertPage(pageFacts(back), { page: 2, pages, total: BIG_TABLE_ROUTES, pageSize: PAGE });
    // The buttons name the circuit by ARM id, so a click can't land on a same-named circuit elsewhere.
    assert.equal(intentOf(buttonOf(back, /Next/)).circuit, BIG_TABLE_CIRCUIT);
  });

  it('the last page holds rows 9,951–10,000 with no Next; a page past the end shows the last one', async () => {
    const last = await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 page 200');
    assertPage(pageFacts(last), { page: 200, pages: 200, total: BIG_TABLE_ROUTES, pageSize: PAGE });
    assert.equal(
      buttonsOf(last).some((b) => b.title.includes('Next')),
      false,
      'no Next on the last page',
    );
    const beyond = await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 page 999');
    assertPage(pageFacts(beyond), { page: 200, pages: 200, total: BIG_TABLE_ROUTES, pageSize: PAGE });
    const previous = await clickFinal(h, ENGINEER, buttonOf(last, /Previous/));
    assertPage(pageFacts(previous), { page: 199, pages: 200, total: BIG_TABLE_ROUTES, pageSize: PAGE });
  });

  it("keeps the prefix filter on every Next and Previous, through to the filtered table's last page", async () => {
    // 10.64.0.0/12 covers 10.64.x–10.79.x: 16 × 256 = 4,096 of the routes, 82 pages.
    const total = 16 * 256;
    const pages = Math.ceil(total / PAGE);
    let card = await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 10.64.0.0/12');
    assert.match(textOf(card), /overlapping 10\.64\.0\.0\/12/);
    let biggest = 0;
    for (let page = 1; ; page++) {
      const facts = pageFacts(card);
      assertPage(facts, { page, pages, total, pageSize: PAGE });
      biggest = Math.max(biggest, facts.bytes);
      const next = buttonsOf(card).find((b) => b.title.includes('Next'));
      if (!next) {
        assert.equal(page, pages, 'Next disappears on the last page only');
        break;
      }
      assert.equal(intentOf(next).prefix, '10.64.0.0/12', 'Next keeps the filter');
      card = await clickFinal(h, ENGINEER, next);
    }
    assert.ok(biggest < TEAMS_CARD_LIMIT_BYTES, `largest page ${biggest} bytes`);
    const previous = buttonOf(card, /Previous/);
    assert.equal(intentOf(previous).prefix, '10.64.0.0/12', 'Previous keeps the filter');
    const back = await clickFinal(h, ENGINEER, previous);
    assertPage(pageFacts(back), { page: pages - 1, pages, total, pageSize: PAGE });
    assert.match(textOf(back), /overlapping 10\.64\.0\.0\/12/);
  });

  it('pages come from one router read: clicking through does not re-read the table', async () => {
    const reads = () =>
      h.app.simulator!.requests.filter(
        (r) => r.method === 'POST' && r.path.startsWith(BIG_TABLE_CIRCUIT) && r.path.endsWith('/routeTables/primary'),
      ).length;
    const card = await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 page 10');
    const before = reads();
    const next = await clickFinal(h, ENGINEER, buttonOf(card, /Next/));
    await clickFinal(h, ENGINEER, buttonOf(next, /Next/));
    assert.equal(reads(), before);
  });
});
