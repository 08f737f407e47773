import type { Router } from 'express';
import type { Services } from '../services.js';
import { accessControl } from './access.js';
import { audienceRoutes } from './audience-routes.js';
import { messageRoutes } from './message-routes.js';
import { reportRoutes } from './report-routes.js';
import { sendRoutes } from './send-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { topicRoutes } from './topic-routes.js';

/** The tab API (contract.ts): /roles for everyone signed in, /settings for admins, the rest for authors. */
export function registerApi(router: Router, s: Services) {
  const access = accessControl((tenantId) => s.settings.cached({ tenantId }));
  settingsRoutes(router, s, access);
  router.use(['/topics', '/messages', '/drafts', '/audiences'], access.requireAuthor);
  topicRoutes(router, s);
  messageRoutes(router, s);
  sendRoutes(router, s);
  reportRoutes(router, s);
  audienceRoutes(router, s);
}
