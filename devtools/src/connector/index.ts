export {
  startConnectorSimulator,
  type ConnectorSimulatorOptions, type ConnectorStats, type RunningConnectorSimulator, type SimulatorControl,
} from './server.js';
export { personalConversationId, decodePersonalConversationId, type SimulatedConversation } from './conversations.js';
export {
  ConnectorLimits, documentedPerThreadLimits, documentedTenantRps, SlidingWindows, TokenBucket,
  type CapAlgorithm, type LimitHit, type PerThreadLimits, type RateWindow, type ThreadScenario,
} from './limits.js';
export type { ChaosSettings, DroppedConnections, ServerErrorBurst, SlowResponses } from './chaos.js';
export {
  buildReport, percentile,
  type ConnectorOp, type ConnectorReport, type Delivery, type DuplicateDelivery, type EarlyRetry, type EditRecord, type FaultEvent,
  type ReportOptions, type TenantCounters, type ThrottleRecord,
} from './record.js';
export { syntheticUsers, simulatedTenantFromSample, type SimulatedMember, type SimulatedTeam, type SimulatedTenant } from './roster.js';
