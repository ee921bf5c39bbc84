import assert from 'node:assert/strict';
import type { Alert, Silence } from '../../src/alerts/alert';
import { alertKey, onCard } from '../../src/alerts/alert';
import type { AlertStore } from '../../src/alerts/alert-store';
import { newAlertId, newSilenceId } from '../../src/alerts/alert-ids';
import { CIRCUIT_IDS } from '../support/demo-world';

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const subject = {
    circuitId: overrides.circuitId ?? CIRCUIT_IDS.contosoAms,
    peering: overrides.peering ?? 'AzurePrivatePeering',
    link: overrides.link ?? ('primary' as const),
    condition: overrides.condition ?? ('bgp-link-down' as const),
  };
  return {
    id: newAlertId(),
    key: alertKey(subject),
    customerId: 'contoso',
    circuitName: 'contoso-ams-er1',
    ...subject,
    severity: 'warning',
    state: 'firing',
    sources: ['watcher'],
    evidence: ['BGP on private peering: primary: down (BgpAvailability 0% at 03:00 UTC)'],
    createdAt: T0,
    updatedAt: T0,
    firedAt: T0,
    seenCycles: 1,
    recoveredCycles: 0,
    changes: [T0],
    version: 1,
    ...overrides,
  };
}

function makeSilence(overrides: Partial<Silence> = {}): Silence {
  return {
    id: newSilenceId(),
    customerId: 'contoso',
    startsAt: T0,
    endsAt: T0 + 3_600_000,
    reason: 'provider maintenance',
    by: { aadObjectId: 'demo-oncall', name: 'Omar' },
    createdAt: T0,
    ...overrides,
  };
}

const next = (a: Alert, patch: Partial<Alert>): Alert => ({ ...a, ...patch, version: a.version + 1, updatedAt: a.updatedAt + 1 });

/**
 * What every AlertStore adapter must do. `makeStores` opens two stores on the same fresh, empty data (two bot
 * instances); the suite closes them.
 */
export function describeAlertStoreContract(name: string, makeStores: () => Promise<[AlertStore, AlertStore]>): void {
  describe(`AlertStore contract: ${name}`, function () {
    let a: AlertStore;
    let b: AlertStore;
    beforeEach(async () => {
      [a, b] = await makeStores();
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it('should return exactly what was created, from either instance', async () => {
      const alert = makeAlert();
      assert.equal(await a.createAlert(alert), true);
      assert.deepEqual(await b.getAlert(alert.id), alert);
      assert.equal(await a.getAlert('AL-NOPE000'), undefined);
    });

    it('should keep one open alert per key, and allow a new one once it is resolved', async () => {
      const first = makeAlert();
      assert.equal(await a.createAlert(first), true);
      assert.equal(await b.createAlert(makeAlert()), false, 'same circuit, peering, link and condition');
      assert.equal(await b.createAlert(makeAlert({ link: 'secondary', key: alertKey({ ...first, link: 'secondary' }) })), true);
      const resolved = next(first, { state: 'resolved', resolvedAt: T0 + 60_000 });
      assert.equal(await a.updateAlert(resolved, first.version), true);
      const again = makeAlert();
      assert.equal(await b.createAlert(again), true);
      assert.equal(
        await a.updateAlert(next(resolved, { state: 'firing' }), resolved.version),
        false,
        'reopening while another is open loses',
      );
    });

    it('should let exactly one of two racing creates of one key win', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).createAlert(makeAlert())));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await a.listAlerts({ customerIds: ['contoso'] })).length, 1);
    });

    it('should update by compare-and-set on the version', async () => {
      const alert = makeAlert();
      await a.createAlert(alert);
      const acked = next(alert, { state: 'acknowledged', acknowledged: { by: { aadObjectId: 'demo-oncall', name: 'Omar' }, at: T0 + 5 } });
      const [one, two] = await Promise.all([a.updateAlert(acked, 1), b.updateAlert(next(alert, { groupId: 'G-1' }), 1)]);
      assert.equal(Number(one) + Number(two), 1, 'one write of version 2');
      assert.equal(await a.updateAlert(next(alert, { groupId: 'G-2' }), 1), false, 'a stale version loses');
      assert.equal((await b.getAlert(alert.id))?.version, 2);
    });

    it('should save creates and updates together, each winning or losing on its own', async () => {
      const stored = makeAlert();
      await a.createAlert(stored);
      const fresh = makeAlert({ link: 'secondary', key: 'k-fresh' });
      const duplicate = makeAlert();
      const results = await b.saveAlerts([
        {
          alert: next(stored, { state: 'acknowledged', acknowledged: { by: { aadObjectId: 'demo-oncall', name: 'Omar' }, at: T0 } }),
          expectVersion: 1,
        },
        { alert: fresh },
        { alert: duplicate },
        { alert: { ...fresh, groupId: 'G-9', version: 8 }, expectVersion: 7 },
      ]);
      assert.deepEqual(results, [true, true, false, false]);
      assert.equal((await a.getAlert(stored.id))?.state, 'acknowledged');
      assert.deepEqual(await a.getAlert(fresh.id), fresh);
      assert.equal(await a.getAlert(duplicate.id), undefined);
      assert.deepEqual(await a.saveAlerts([]), []);
    });

    it('should put alerts on a card by compare-and-set, changing nothing else of them', async () => {
      const ams = makeAlert();
      const sea = makeAlert({ link: 'secondary', key: 'k-sea', escalations: 1, escalatedAt: T0 + 1 });
      const moved = makeAlert({ condition: 'arp-missing', key: 'k-moved' });
      for (const x of [ams, sea, moved]) assert.ok(await a.createAlert(x));
      assert.ok(await a.updateAlert(next(moved, { evidence: ['ARP: no entries on primary'] }), moved.version));
      const claim = { groupId: 'G-CARD1', claimedAt: T0 + 500 };
      const results = await b.claimAlerts(
        [
          { id: ams.id, customerId: 'contoso', expectVersion: 1 },
          { id: sea.id, customerId: 'fabrikam', expectVersion: 1 },
          { id: moved.id, customerId: 'contoso', expectVersion: 1 },
          { id: 'AL-NOPE000', customerId: 'contoso', expectVersion: 1 },
          { id: sea.id, customerId: 'contoso', expectVersion: 1 },
        ],
        claim,
      );
      const amsOnCard = onCard(ams, claim);
      const seaOnCard = onCard(sea, claim);
      assert.deepEqual(results, [amsOnCard, undefined, undefined, undefined, seaOnCard], 'not the customer’s, moved on, unknown: lost');
      assert.deepEqual(amsOnCard, { ...ams, groupId: 'G-CARD1', claimedAt: T0 + 500, updatedAt: T0 + 500, version: 2 });
      assert.deepEqual(await a.getAlert(ams.id), amsOnCard, 'stored as returned, read by the other instance');
      assert.deepEqual(await b.getAlert(sea.id), seaOnCard, 'read back by the instance that wrote it');
      assert.equal((await a.getAlert(moved.id))?.groupId, undefined);
      const newest = (await a.listAlerts({ customerIds: ['contoso'] })).slice(0, 2).map((x) => x.id);
      assert.deepEqual(newest.sort(), [ams.id, sea.id].sort(), 'the claim is their latest write');
      assert.deepEqual((await a.alertsInGroup('contoso', 'G-CARD1')).map((x) => x.id).sort(), [ams.id, sea.id].sort());
      assert.equal(await b.updateAlert(next(amsOnCard, { state: 'acknowledged' }), 2), true, 'the next write follows the claim');
      assert.deepEqual(await b.claimAlerts([], claim), []);
    });

    it('should give each alert to exactly one of two racing claims', async () => {
      const alerts = Array.from({ length: 12 }, (_, i) => makeAlert({ key: `k-race-${i}` }));
      for (const x of alerts) assert.ok(await a.createAlert(x));
      const claims = alerts.map((x) => ({ id: x.id, customerId: 'contoso', expectVersion: 1 }));
      const [x, y] = await Promise.all([
        a.claimAlerts(claims, { groupId: 'G-AAAAA', claimedAt: T0 + 1 }),
        b.claimAlerts([...claims].reverse(), { groupId: 'G-BBBBB', claimedAt: T0 + 2 }),
      ]);
      const yInOrder = [...y].reverse();
      for (const [i, alert] of alerts.entries()) {
        const won = [x[i], yInOrder[i]].filter((r) => r !== undefined);
        assert.equal(won.length, 1, `${alert.id} claimed once`);
        assert.deepEqual(await a.getAlert(alert.id), won[0], 'stored as the winner was told');
      }
    });

    it('should refuse an invalid claim and change nothing', async () => {
      const alert = makeAlert();
      await a.createAlert(alert);
      const claims = [{ id: alert.id, customerId: 'contoso', expectVersion: 1 }];
      await assert.rejects(a.claimAlerts(claims, { groupId: '', claimedAt: T0 }));
      await assert.rejects(a.claimAlerts(claims, { groupId: 'G-CARD1', claimedAt: Number.NaN }));
      assert.deepEqual(await b.getAlert(alert.id), alert);
    });

    it('should list open alerts of the customers asked for, and resolved ones since a time, newest first', async () => {
      const open = makeAlert({ updatedAt: T0 + 3 });
      const old = makeAlert({ link: 'secondary', key: 'k-old', state: 'resolved', resolvedAt: T0, updatedAt: T0 });
      const recent = makeAlert({ condition: 'arp-missing', key: 'k-recent', state: 'resolved', resolvedAt: T0 + 10, updatedAt: T0 + 10 });
      const other = makeAlert({ customerId: 'fabrikam', circuitId: CIRCUIT_IDS.fabrikamSea, key: 'k-fab' });
      for (const x of [open, old, recent, other]) assert.ok(await a.createAlert(x));
      assert.deepEqual(
        (await b.listAlerts({ customerIds: ['contoso'] })).map((x) => x.id),
        [open.id],
      );
      assert.deepEqual(
        (await b.listAlerts({ customerIds: ['contoso'], resolvedSince: T0 + 5 })).map((x) => x.id),
        [recent.id, open.id],
      );
      assert.equal((await b.listAlerts({ customerIds: ['contoso'], resolvedSince: 0 })).length, 3);
      assert.deepEqual(await b.listAlerts({ customerIds: [] }), []);
      assert.equal((await b.listAlerts({ customerIds: ['contoso', 'fabrikam'], limit: 1 })).length, 1);
    });

    it('should count what it would list, and leave out alerts that never fired when asked', async () => {
      const firing = makeAlert({ updatedAt: T0 + 3 });
      const pending = makeAlert({
        condition: 'utilisation-high',
        key: 'k-pending',
        state: 'pending',
        firedAt: undefined,
        updatedAt: T0 + 4,
      });
      const quiet = makeAlert({
        condition: 'prefix-limit',
        key: 'k-quiet',
        state: 'resolved',
        firedAt: undefined,
        resolvedAt: T0 + 5,
        updatedAt: T0 + 5,
      });
      const resolved = makeAlert({ condition: 'arp-missing', key: 'k-resolved', state: 'resolved', resolvedAt: T0 + 6, updatedAt: T0 + 6 });
      for (const x of [firing, pending, quiet, resolved]) assert.ok(await a.createAlert(x));
      const all = { customerIds: ['contoso'], resolvedSince: 0 };
      assert.equal(await b.countAlerts(all), 4);
      assert.equal(await b.countAlerts({ ...all, limit: 1 }), 4, 'the count ignores the limit');
      assert.equal(await b.countAlerts({ customerIds: ['contoso'] }), 2, 'open ones');
      assert.deepEqual(
        (await b.listAlerts({ ...all, firedOnly: true })).map((x) => x.id),
        [resolved.id, firing.id],
      );
      assert.equal(await b.countAlerts({ ...all, firedOnly: true }), 2);
      assert.deepEqual(
        (await b.listAlerts({ ...all, firedOnly: true, limit: 1 })).map((x) => x.id),
        [resolved.id],
      );
      assert.equal(await b.countAlerts({ customerIds: [] }), 0);
    });

    it('should prune alerts resolved and silences ended before a time, with the posts of cards left empty', async () => {
      const cutoff = T0 + 30 * 86_400_000;
      const resolvedAt = (at: number, patch: Partial<Alert>) => makeAlert({ state: 'resolved', resolvedAt: at, updatedAt: at, ...patch });
      const old = resolvedAt(T0, { groupId: 'G-OLD' });
      const oldOnMixedCard = resolvedAt(T0, { link: 'secondary', key: 'k-mixed-old', groupId: 'G-MIXED' });
      const openOnMixedCard = makeAlert({ condition: 'arp-missing', key: 'k-mixed-open', groupId: 'G-MIXED' });
      const recent = resolvedAt(cutoff + 1, { condition: 'prefix-limit', key: 'k-recent', groupId: 'G-RECENT' });
      const otherCustomer = resolvedAt(T0, { customerId: 'fabrikam', circuitId: CIRCUIT_IDS.fabrikamSea, key: 'k-fab', groupId: 'G-FAB' });
      for (const x of [old, oldOnMixedCard, openOnMixedCard, recent, otherCustomer]) assert.ok(await a.createAlert(x));
      for (const [customerId, groupId] of [
        ['contoso', 'G-OLD'],
        ['contoso', 'G-MIXED'],
        ['contoso', 'G-RECENT'],
        ['fabrikam', 'G-FAB'],
      ] as const) {
        await a.addAlertPost({ groupId, customerId, conversationKey: `alerts:${customerId}`, activityId: `act-${groupId}`, at: T0 });
      }
      const expired = makeSilence({ endsAt: cutoff - 1 });
      const endedEarly = makeSilence({ endsAt: cutoff - 1, ended: { by: { aadObjectId: 'demo-oncall', name: 'Omar' }, at: T0 + 5 } });
      const running = makeSilence({ endsAt: cutoff + 3_600_000 });
      for (const x of [expired, endedEarly, running]) await a.createSilence(x);

      assert.deepEqual(await b.prune(cutoff), { alerts: 3, silences: 2 });
      for (const gone of [old, oldOnMixedCard, otherCustomer]) assert.equal(await a.getAlert(gone.id), undefined, gone.key);
      for (const kept of [openOnMixedCard, recent]) assert.deepEqual(await a.getAlert(kept.id), kept);
      assert.deepEqual(await a.alertPosts('contoso', 'G-OLD'), [], 'no alert of that card is left');
      assert.deepEqual(await a.alertPosts('fabrikam', 'G-FAB'), []);
      assert.equal((await a.alertPosts('contoso', 'G-MIXED')).length, 1, 'one of its alerts is still open');
      assert.equal((await a.alertPosts('contoso', 'G-RECENT')).length, 1);
      assert.equal(await a.getSilence(expired.id), undefined);
      assert.equal(await a.getSilence(endedEarly.id), undefined);
      assert.deepEqual(await a.getSilence(running.id), running);
      assert.equal(await a.countAlerts({ customerIds: ['contoso', 'fabrikam'], resolvedSince: 0 }), 2);
      assert.deepEqual(await a.prune(cutoff), { alerts: 0, silences: 0 }, 'idempotent');
    });

    it('should find a card’s alerts by group, and record its posts once each', async () => {
      const x = makeAlert({ groupId: 'G-ABC' });
      const y = makeAlert({ condition: 'arp-missing', key: 'k-y', groupId: 'G-ABC' });
      await a.createAlert(x);
      await a.createAlert(y);
      await a.createAlert(makeAlert({ condition: 'prefix-limit', key: 'k-z', groupId: 'G-OTHER' }));
      assert.deepEqual((await b.alertsInGroup('contoso', 'G-ABC')).map((z) => z.id).sort(), [x.id, y.id].sort());
      const post = { groupId: 'G-ABC', customerId: 'contoso', conversationKey: 'alerts:contoso', activityId: 'act-1', at: T0 };
      await a.addAlertPost(post);
      await b.addAlertPost(post);
      await a.addAlertPost({ ...post, activityId: 'act-2', at: T0 + 1 });
      assert.deepEqual(
        (await b.alertPosts('contoso', 'G-ABC')).map((p) => p.activityId),
        ['act-1', 'act-2'],
      );
      assert.deepEqual(await b.alertPosts('contoso', 'G-OTHER'), []);
    });

    it('should keep silences, list those still running, and end one once', async () => {
      const s = makeSilence();
      await a.createSilence(s);
      await a.createSilence(makeSilence({ endsAt: T0 + 10 }));
      await a.createSilence(makeSilence({ customerId: 'fabrikam' }));
      assert.deepEqual(await b.getSilence(s.id), s);
      assert.deepEqual(
        (await b.listSilences({ customerIds: ['contoso'], endingAfter: T0 + 100 })).map((x) => x.id),
        [s.id],
      );
      const ended = { by: { aadObjectId: 'demo-oncall', name: 'Omar' }, at: T0 + 200 };
      const [one, two] = await Promise.all([a.endSilence(s.id, ended), b.endSilence(s.id, ended)]);
      assert.equal(Number(one) + Number(two), 1);
      assert.deepEqual((await a.getSilence(s.id))?.ended, ended);
      assert.deepEqual(await b.listSilences({ customerIds: ['contoso'], endingAfter: T0 + 100 }), []);
      assert.equal(await a.endSilence('SI-NOPE000', ended), false);
    });

    it('should give each lease to one owner, renew it for that owner, and hand it over once expired or released', async () => {
      const names = ['watch:contoso', 'watch:fabrikam'];
      const [x, y] = await Promise.all([a.claimLeases(names, 'A', T0, 30_000), b.claimLeases(names, 'B', T0, 30_000)]);
      assert.deepEqual([...x, ...y].sort(), names, 'each lease held by exactly one');
      const holder = x.length > 0 ? { store: a, owner: 'A' } : { store: b, owner: 'B' };
      const other = holder.owner === 'A' ? { store: b, owner: 'B' } : { store: a, owner: 'A' };
      const mine = holder.owner === 'A' ? x : y;
      assert.deepEqual(await holder.store.claimLeases(mine, holder.owner, T0 + 20_000, 30_000), mine, 'renewed');
      assert.deepEqual(await other.store.claimLeases(mine, other.owner, T0 + 40_000, 30_000), [], 'still held after the renewal');
      assert.deepEqual(await other.store.claimLeases(mine, other.owner, T0 + 50_000, 30_000), mine, 'taken over once expired');
      await other.store.releaseLeases(mine, other.owner);
      assert.deepEqual(await holder.store.claimLeases(mine, holder.owner, T0 + 51_000, 30_000), mine, 'free at once after a release');
    });

    it('should keep one watch gap per customer, told once and closed once, whichever instance asks', async () => {
      assert.deepEqual(await a.listWatchGaps(['contoso']), []);
      const [first, second] = await Promise.all([a.openWatchGap('contoso', T0), b.openWatchGap('contoso', T0 + 60_000)]);
      assert.equal(first.since, second.since, 'one gap: whoever opened second got the first');
      const since = first.since;
      assert.deepEqual(await b.openWatchGap('contoso', T0 + 120_000), { customerId: 'contoso', since, told: false }, 'still the first');
      await b.openWatchGap('fabrikam', T0 + 5.7);
      assert.deepEqual(await b.listWatchGaps(['contoso', 'fabrikam', 'nobody']), [
        { customerId: 'contoso', since, told: false },
        { customerId: 'fabrikam', since: T0 + 5, told: false },
      ]);
      assert.deepEqual(
        await a.listWatchGaps(['fabrikam']),
        [{ customerId: 'fabrikam', since: T0 + 5, told: false }],
        'only those asked for',
      );
      assert.deepEqual(await a.listWatchGaps([]), []);

      assert.equal(await a.tellWatchGap('contoso', since + 1, 'A'), false, 'not the gap open now');
      const told = await Promise.all([a.tellWatchGap('contoso', since, 'A'), b.tellWatchGap('contoso', since, 'B')]);
      assert.equal(told.filter(Boolean).length, 1, 'told by exactly one');
      assert.equal(await a.tellWatchGap('contoso', since, 'C'), false, 'told already');
      // Its teller asking again (its first answer lost, say) is told it is its own.
      assert.equal(await b.tellWatchGap('contoso', since, told[0] ? 'A' : 'B'), true, 'still its teller’s');
      assert.equal(await a.tellWatchGap('nobody', since, 'A'), false, 'no gap');

      assert.equal(await b.closeWatchGap('contoso', since + 1, 'B'), undefined, 'not the gap open now');
      const closed = await Promise.all([a.closeWatchGap('contoso', since, 'A'), b.closeWatchGap('contoso', since, 'B')]);
      assert.deepEqual(
        closed.filter((c) => c !== undefined),
        [{ customerId: 'contoso', since, told: true }],
        'closed by exactly one, as it was',
      );
      assert.deepEqual(await a.listWatchGaps(['contoso', 'fabrikam']), [{ customerId: 'fabrikam', since: T0 + 5, told: false }]);
      assert.equal(await a.tellWatchGap('contoso', since, 'A'), false, 'closed');
      assert.deepEqual(
        await b.openWatchGap('contoso', T0 + 600_000),
        { customerId: 'contoso', since: T0 + 600_000, told: false },
        'a new gap',
      );
    });

    it('should take a tell back only for its teller, so that the next tell of that gap says it again', async () => {
      const { since } = await a.openWatchGap('northwind', T0);
      assert.equal(await a.tellWatchGap('northwind', since, 'A'), true);
      await b.untellWatchGap('northwind', since, 'B');
      await b.untellWatchGap('northwind', since + 1, 'A');
      await b.untellWatchGap('nobody', since, 'A');
      assert.deepEqual(await b.listWatchGaps(['northwind']), [{ customerId: 'northwind', since, told: true }], 'not B’s, nor that gap');
      assert.equal(await b.tellWatchGap('northwind', since, 'B'), false, 'told still');

      await b.untellWatchGap('northwind', since, 'A');
      await a.untellWatchGap('northwind', since, 'A');
      assert.deepEqual(
        await a.listWatchGaps(['northwind']),
        [{ customerId: 'northwind', since, told: false }],
        'taken back, once or twice',
      );
      assert.equal(await a.tellWatchGap('northwind', since, 'A'), true, 'A’s former tell is not its own any more: told anew');
      await b.untellWatchGap('northwind', since, 'A');
      assert.equal(await b.tellWatchGap('northwind', since, 'B'), true, 'then by another');
      assert.equal(await a.tellWatchGap('northwind', since, 'A'), false, 'and no longer A’s');

      assert.deepEqual(await a.closeWatchGap('northwind', since, 'A'), { customerId: 'northwind', since, told: true });
      await b.untellWatchGap('northwind', since, 'B');
      assert.deepEqual(await a.listWatchGaps(['northwind']), [], 'a closed gap stays closed');
    });
  });
}
