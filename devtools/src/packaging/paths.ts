import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in devtools/src/packaging/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The Teams app manifest schema v1.29 as shipped in @microsoft/app-manifest: validation never downloads it. */
export const manifestSchemaPath = path.join(
  repoRoot, 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', 'v1.29', 'MicrosoftTeams.schema.json',
);

/** A path relative to the repository root, with forward slashes, for messages. */
export function rel(p: string, root = repoRoot): string {
  return path.relative(root, p).split(path.sep).join('/') || '.';
}
