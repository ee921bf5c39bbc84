import { writeFileSync } from 'node:fs';
import { applyTiering } from '../src/node-flags';
import { startCost, type Start, type StartInOwnProcess } from './alerts';
import { OUTAGES } from './outages';

/**
 * Run as a process of its own by `startInOwnProcess` (bench/alerts.ts): `start-process <fleet|index> <result file>`
 * measures the first cycles after a start, on the fleet of `cycleCost` or on OUTAGES[index], with the code cold and
 * no alerts yet, and writes what `startCost` found.
 */
async function main(): Promise<void> {
  const [which, resultFile] = process.argv.slice(2);
  const start: Start | undefined = which === 'fleet' ? 'fleet' : /^\d+$/.test(which ?? '') ? Number(which) : undefined;
  if (start === undefined || (start !== 'fleet' && !OUTAGES[start]) || !resultFile) {
    throw new Error(`usage: start-process <fleet | 0–${OUTAGES.length - 1}> <result file>`);
  }
  // As the bot sets it when it starts (src/index.ts).
  applyTiering();
  const day = await startCost(start);
  const result: StartInOwnProcess = {
    cpuMs: day.measured.map((c) => c.cpuMs),
    pageFaults: day.measured.map((c) => c.pageFaults),
    fullGcs: day.measured.map((c) => c.fullGcs),
    open: day.open,
  };
  writeFileSync(resultFile, JSON.stringify(result));
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
