import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's root: the nearest folder above `from` (a module's folder, `__dirname`) that holds package.json.
 * The code runs from src/ under tsx, from dist/ as `npm start` runs it, and from dist-bench/src/ in the bench, at
 * different depths.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}: the bot runs inside its project folder`);
  }
}
