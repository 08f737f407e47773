export { startMailSink, maxMessageBytes, type RunningMailSink } from './mail-sink.js';
export type { SinkMessage } from './message.js';
