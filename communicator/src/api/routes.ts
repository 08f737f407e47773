import type { Router } from 'express';
import type { Services } from '../services.js';
import { accessControl } from './access.js';
import { adminRoutes } from './admin-routes.js';
import { afterSendRoutes } from './after-send-routes.js';
import { audienceRoutes } from './audience-routes.js';
import { galleryRoutes } from './gallery-routes.js';
import { messageRoutes } from './message-routes.js';
import { reportRoutes } from './report-routes.js';
import { sendRoutes } from './send-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { topicRoutes } from './topic-routes.js';

/** The tab API (contract.ts): /roles for everyone signed in, /settings and /admin for admins, the rest for authors. */
export function registerApi(router: Router, s: Services) {
  const access = accessControl((tenantId) => s.settings.cached({ tenantId }));
  settingsRoutes(router, s, access);
  adminRoutes(router, s, access);
  router.use(['/topics', '/messages', '/drafts', '/audiences', '/gallery'], access.requireAuthor);
  topicRoutes(router, s);
  messageRoutes(router, s);
  sendRoutes(router, s);
  afterSendRoutes(router, s);
  reportRoutes(router, s);
  audienceRoutes(router, s);
  galleryRoutes(router, s);
}
