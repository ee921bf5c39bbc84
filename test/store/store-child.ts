/**
 * A second process on the same data file, driven by sqlite-change-store.test.ts over IPC (fork). Not a test
 * file itself. Messages in: { goAt }. Messages out: { ready } then { results } or { written }.
 */
import { SqliteChangeStore } from '../../src/store';
import { ChangeRequest } from '../../src/changes/change-request';
import { makeAudit } from '../support/seed-requests';

async function main(): Promise<void> {
  const [mode, file, arg] = process.argv.slice(2);
  if (!mode || !file || !arg) throw new Error('usage: store-child <race|write-and-wait> <file> <json>');
  const store = await SqliteChangeStore.open({ file });
  const send = (m: unknown) => process.send?.(m);

  if (mode === 'race') {
    const ids = JSON.parse(arg) as { id: string; customerId: string }[];
    // A common start instant, not a wait for a condition: it lines the processes up so that their attempts overlap.
    process.once('message', (m: { goAt: number }) => {
      setTimeout(
        () => {
          void (async () => {
            const won: string[] = [];
            const startedAt = performance.timeOrigin + performance.now();
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
            const endedAt = performance.timeOrigin + performance.now();
            await store.close();
            send({ results: won, startedAt, endedAt });
            process.disconnect();
          })();
        },
        Math.max(0, m.goAt - Date.now()),
      );
    });
    send({ ready: true });
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

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
