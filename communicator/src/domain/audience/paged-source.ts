import type { CheckpointPage, PagingCheckpoint } from '../../store/resolve-checkpoint-store.js';

/**
 * Every item of a paged source (a group's members, a team's roster, a list's directory lookups),
 * resuming where an earlier delivery of the resolve stopped: pages in the checkpoint are not asked
 * for again, and each page read is saved before the next is asked for. `source` names the source
 * within the message (`group-<id>`, `team-<id>`, `list-<id>`); `readPage(next)` reads the page that
 * starts at `next` (the first page when undefined).
 */
export async function readPaged<T>(
  checkpoint: PagingCheckpoint | undefined,
  source: string,
  readPage: (next: string | undefined) => Promise<CheckpointPage<T>>,
): Promise<T[]> {
  const saved = checkpoint ? await checkpoint.load<T>(source) : [];
  const items = saved.flatMap((p) => p.items);
  let pageNo = saved.length;
  let next = saved.at(-1)?.next;
  if (saved.length > 0 && next === undefined) return items; // read to the end before
  do {
    const page = await readPage(next);
    items.push(...page.items);
    await checkpoint?.save(source, pageNo++, page);
    next = page.next;
  } while (next !== undefined);
  return items;
}
