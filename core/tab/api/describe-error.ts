import type { TFunction } from 'i18next';
import { TeamsSignInError } from '../auth/authenticator.js';
import { ApiError } from './api-client.js';

export type ReadableError = { title: string; body: string; requestId?: string };

function titleKey(err: ApiError): string {
  if (err.status === 0) return 'errors.network';
  if (err.status === 401) return 'errors.unauthorized';
  if (err.status === 403) return 'errors.forbidden';
  if (err.status === 404) return 'errors.notFound';
  if (err.status === 409 || err.status === 412) return 'errors.conflict';
  if (err.status === 413) return 'errors.tooLarge';
  if (err.status === 429) return 'errors.tooManyRequests';
  if (err.status >= 500) return 'errors.server';
  if (err.status >= 400) return 'errors.badRequest';
  return 'errors.generic';
}

/** Turns anything thrown by the API client or sign-in into a title and a sentence a user can act on. */
export function describeError(err: unknown, t: TFunction<'shell'>): ReadableError {
  if (err instanceof ApiError) {
    return {
      title: t(titleKey(err)),
      body: err.status === 0 ? t('errors.networkBody') : err.message,
      requestId: err.requestId,
    };
  }
  if (err instanceof TeamsSignInError) return { title: t('teamsSignIn.title'), body: t('teamsSignIn.body', { detail: err.message }) };
  return { title: t('errors.generic'), body: err instanceof Error ? err.message : String(err) };
}
