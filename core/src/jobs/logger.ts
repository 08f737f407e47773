/** The slice of a pino logger that jobs and limits use; a pino instance satisfies it. */
export type LogFn = (obj: object, msg?: string) => void;
export type LoggerLike = { info: LogFn; warn: LogFn; error: LogFn; debug: LogFn };

const ignore: LogFn = () => {};
export const noopLogger: LoggerLike = { info: ignore, warn: ignore, error: ignore, debug: ignore };
