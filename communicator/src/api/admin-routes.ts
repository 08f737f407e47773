import { badRequest } from '@teamspro/core';
import type { Router } from 'express';
import type { OffboardResult } from './contract.js';
import type { Services } from '../services.js';
import { offboardTenant } from '../store/offboarding.js';
import type { accessControl } from './access.js';
import { callerOf } from './scope.js';
import { offboardSchema, parseBody } from './validation.js';

/** Tenant admins only (contract.ts, "Tenant admins"). */
export function adminRoutes(router: Router, s: Services, access: ReturnType<typeof accessControl>) {
  router.post('/admin/offboard', access.requireAdmin, async (req, res) => {
    const { scope } = callerOf(res);
    const { confirmTenantId } = parseBody(offboardSchema, req.body, 'The offboarding request');
    // typed confirmation: the body repeats the caller's own tenant id (the tenant comes from the token only)
    if (confirmTenantId.toLowerCase() !== scope.tenantId.toLowerCase()) throw badRequest('confirmTenantId does not match your tenant id; nothing was erased.');
    const result: OffboardResult = await offboardTenant(s, scope);
    res.json(result);
  });
}
