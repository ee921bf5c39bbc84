import fc from 'fast-check';

/**
 * Every fast-check property in the run uses one seed: fixed on CI (so a red CI is reproducible and never
 * flaky), random locally (so local runs keep exploring). The seed is printed once, and fast-check repeats it
 * in every failure; `FC_SEED=<seed> npm test` replays a run.
 */
const fromEnv = process.env.FC_SEED ?? (process.env.CI ? '20261202' : undefined);
const seed =
  fromEnv !== undefined && Number.isSafeInteger(Number(fromEnv)) ? Number(fromEnv) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
fc.configureGlobal({ seed });
process.stdout.write(`fast-check seed ${seed} (replay with FC_SEED=${seed})\n`);
