import { writeFileSync } from 'node:fs';
import { applyTiering } from '../src/node-flags';
import { outageCost, type OutageInOwnProcess } from './alerts';
import { OUTAGES } from './outages';

/**
 * Run as a process of its own by `outageInOwnProcess` (bench/alerts.ts): `outage-process <index> <result file>`
 * measures the cycles of OUTAGES[index] with the code cold, as after a start, and writes what `outageCost` found.
 */
async function main(): Promise<void> {
  const [indexText, resultFile] = process.argv.slice(2);
  const outage = OUTAGES[Number(indexText)];
  if (!outage || !resultFile) throw new Error(`usage: outage-process <0–${OUTAGES.length - 1}> <result file>`);
  // As the bot sets it when it starts (src/index.ts).
  applyTiering();
  const day = await outageCost(outage);
  const result: OutageInOwnProcess = {
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
