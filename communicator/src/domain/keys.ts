/** Ids from Teams and Entra become row keys; characters Azure Tables refuse in keys are percent-encoded. */
export function keyPart(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export const recipientKeys = {
  user: (aadId: string) => keyPart(aadId.toLowerCase()),
  channel: (teamId: string, channelId: string) => `channel~${keyPart(teamId)}~${keyPart(channelId)}`,
  /** a listed UPN the directory does not know: kept so the report can say so */
  unknownUpn: (upn: string) => `upn~${keyPart(upn.toLowerCase())}`,
};

/** A small stable hash, to spread counter writes over shards. */
export function shardOf(seed: string, shards: number): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % shards;
}
