import path from 'node:path';
import { projectRoot } from '../src/project-root';

/**
 * The bench runs as production runs the bot, compiled to JavaScript (`npm run bench` builds it into dist-bench/
 * with tsconfig.bench.json), and from its sources under tsx while it is being worked on. These say where things
 * are in either form.
 */

/** The project's root (bench/.. or dist-bench/..). */
export const ROOT = projectRoot(__dirname);

/** Whether this is the compiled bench (`.js`) or its sources under tsx (`.ts`). */
const EXT = path.extname(__filename);

/**
 * node's arguments to run `file` (a path from this folder, without extension) in a process of its own, in the
 * form this bench runs in: the compiled module with plain node, or the source under tsx.
 */
export function moduleArgs(file: string): string[] {
  const resolved = path.join(__dirname, `${file}${EXT}`);
  return EXT === '.ts' ? ['--require', 'tsx/cjs', resolved] : [resolved];
}
