import { z } from 'zod';

/** Resolve a message's audience into recipient rows; or check whether a sending message is done. */
export const pipelineJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resolve'), tenantId: z.string().min(1), messageId: z.string().min(1) }),
  z.object({ kind: z.literal('finalize'), tenantId: z.string().min(1), messageId: z.string().min(1), idleChecks: z.number().int().min(0).default(0), lastDone: z.number().int().min(0).default(0) }),
]);
export type PipelineJob = z.infer<typeof pipelineJobSchema>;

/** Recipients one send job delivers to (one storage transaction's worth). */
export const sendJobSize = 100;

/** Deliver one message to a chunk of its recipient rows (neighbours in key order). */
export const sendJobSchema = z.object({ tenantId: z.string().min(1), messageId: z.string().min(1), keys: z.array(z.string().min(1)).min(1).max(sendJobSize) });
export type SendJob = z.infer<typeof sendJobSchema>;

/** Edit or recall the delivered cards of a sent message: one job per operation (`op` = message.afterSend.op). */
export const afterSendJobSchema = z.object({ tenantId: z.string().min(1), messageId: z.string().min(1), op: z.string().min(1), kind: z.enum(['update', 'recall']) });
export type AfterSendJob = z.infer<typeof afterSendJobSchema>;

/** Queue names carry the deployment's storage prefix, so parallel test runs and environments never share a queue. */
export function queueNames(prefix: string) {
  return { pipeline: `${prefix}-cc-pipeline`, send: `${prefix}-cc-send`, afterSend: `${prefix}-cc-aftersend` };
}
