import { identityOf, type Identity, type TenantScope } from '@teamspro/core';
import type { Response } from 'express';

/** The caller and their tenant, from the validated token only. */
export function callerOf(res: Response): { identity: Identity; scope: TenantScope } {
  const identity = identityOf(res);
  return { identity, scope: { tenantId: identity.tenantId } };
}

/** Route parameter as a string (express 5 types allow arrays for wildcards). */
export function param(value: unknown): string {
  return Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
}
