/**
 * Another process on the same store, driven by the store tests over IPC (fork; see fork-store-child.ts). Not a
 * test file itself. Messages in: { goAt }. Messages out: { ready } then { results }, { written }, { creates } or { claims }.
 * `<store>` is a SQLite file, or for create-race a StoreSpec as JSON (a SQLite file or a Table Storage prefix).
 */
import { SqliteAlertStore, SqliteChangeStore, TableChangeStore } from '../../src/store';
import type { AlertClaim } from '../../src/alerts/alert-store';
import { ChangeRequest } from '../../src/changes/change-request';
import type { ChangeStore } from '../../src/changes/ports';
import { TargetBusy } from '../../src/changes/target-lock';
import { makeAudit } from '../support/seed-requests';
import type { ClaimRaceReport, CreateRaceReport, StoreSpec } from './fork-store-child';

async function main(): Promise<void> {
  const [mode, where, arg] = process.argv.slice(2);
  if (!mode || !where || !arg) throw new Error('usage: store-child <race|write-and-wait|create-race|claim-race> <store> <json>');
  const send = (m: unknown) => process.send?.(m);
  if (mode === 'claim-race') {
    claimRace(await SqliteAlertStore.open({ file: where }), JSON.parse(arg) as AlertClaim[], send);
    return;
  }
  if (mode === 'create-race') {
    createRace(
      await openSpec(JSON.parse(where) as StoreSpec),
      (JSON.parse(arg) as unknown[]).map((r) => ChangeRequest.parse(r)),
      send,
    );
    return;
  }
  const store = await SqliteChangeStore.open({ file: where });

  if (mode === 'race') {
    const ids = JSON.parse(arg) as { id: string; customerId: string }[];
    atGo(
      store,
      async () => {
        const won: string[] = [];
        for (const r of ids) {
          const moved = await store.transition(
            r.id,
            { from: ['approved'] },
            'executing',
            { operation: { attempts: process.pid } },
            makeAudit(r, 'executing', { outcome: `pid ${process.pid}` }),
          );
          if (moved) won.push(r.id);
        }
        return won;
      },
      (won, startedAt, endedAt) => ({ results: won, startedAt, endedAt }),
      send,
    );
    return;
  }

  if (mode === 'write-and-wait') {
    const r = ChangeRequest.parse(JSON.parse(arg));
    await store.create(r, makeAudit(r, 'requested', { to: r.state }));
    await store.saveReference(`ref:${r.id}`, { from: process.pid });
    send({ written: r.id });
    // Stay alive holding the file open until the parent kills us, like a bot process that crashes mid-turn.
    setInterval(() => undefined, 60_000);
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

function openSpec(spec: StoreSpec): Promise<ChangeStore> {
  if ('sqlite' in spec) return SqliteChangeStore.open({ file: spec.sqlite });
  return TableChangeStore.open({ ...spec.table, allowInsecureConnection: true });
}

/** Creates every request at once at the common start instant, and reports which were created and which refused. */
function createRace(store: ChangeStore, requests: ChangeRequest[], send: (m: unknown) => void): void {
  atGo(
    store,
    async () => {
      const report: Omit<CreateRaceReport, 'startedAt' | 'endedAt'> = { created: [], busy: [], failed: [] };
      await Promise.all(
        requests.map(async (r) => {
          try {
            await store.create(r, makeAudit(r, 'requested', { outcome: `pid ${process.pid}` }));
            report.created.push(r.id);
          } catch (e) {
            if (e instanceof TargetBusy) report.busy.push({ id: r.id, holder: e.holder.id });
            else report.failed.push(`${r.id}: ${String(e)}`);
          }
        }),
      );
      return report;
    },
    (report, startedAt, endedAt): { creates: CreateRaceReport } => ({ creates: { ...report, startedAt, endedAt } }),
    send,
  );
}

/**
 * At the common start instant, puts each alert on this process's card, one claim at a time so that the two
 * processes' claims interleave, and reports the group, the ids it won, and when it started and ended.
 */
function claimRace(store: SqliteAlertStore, claims: AlertClaim[], send: (m: unknown) => void): void {
  const groupId = `G-PID${process.pid}`;
  atGo(
    store,
    async () => {
      const won: string[] = [];
      for (const claim of claims) {
        const [alert] = await store.claimAlerts([claim], { groupId, claimedAt: Date.now() });
        if (alert) won.push(alert.id);
      }
      return won;
    },
    (won, startedAt, endedAt): { claims: ClaimRaceReport } => ({ claims: { groupId, won, startedAt, endedAt } }),
    send,
  );
}

/**
 * Says it is ready, then at the parent's common start instant runs `race`, timed; closes the store and sends what
 * `message` makes of the result and the times, then lets go of the parent. A start instant, not a wait for a
 * condition: it lines the processes up so that their attempts overlap.
 */
function atGo<T>(
  store: { close(): Promise<void> },
  race: () => Promise<T>,
  message: (result: T, startedAt: number, endedAt: number) => unknown,
  send: (m: unknown) => void,
): void {
  const now = () => performance.timeOrigin + performance.now();
  process.once('message', (m: { goAt: number }) => {
    setTimeout(
      () => {
        void (async () => {
          const startedAt = now();
          const result = await race();
          const endedAt = now();
          await store.close();
          send(message(result, startedAt, endedAt));
          process.disconnect();
        })();
      },
      Math.max(0, m.goAt - Date.now()),
    );
  });
  send({ ready: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
