import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Vite puts an app's tab: `<app>/dist/tab`, found from a module in `<app>/src/`. */
export function builtTabDir(moduleUrl: string): string {
  return path.resolve(path.dirname(fileURLToPath(moduleUrl)), '..', 'dist', 'tab');
}
