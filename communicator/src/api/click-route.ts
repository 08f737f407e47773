import type { Logger } from '@teamspro/core';
import type { Router } from 'express';
import { Interactions } from '../domain/interactions.js';
import type { Services } from '../services.js';

function refuse(res: Parameters<Parameters<Router['get']>[1]>[1], status: number, code: string, message: string) {
  res.status(status).json({ error: { status, code, message, requestId: res.locals.requestId } });
}

/**
 * GET /r/:token — a link button of a delivered card. No sign-in (the recipient's browser opens it);
 * the signed token says whose click it is. A forged or altered token records nothing.
 */
export function clickRoute(router: Router, s: Services, logger: Logger) {
  const interactions = new Interactions(s);
  router.get('/r/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const payload = s.signer.verify(String(req.params.token));
    if (!payload) return refuse(res, 400, 'invalid_link', 'This link is not valid. Open the button from the message in Teams again.');
    const scope = { tenantId: payload.tenantId };
    // fresh, not the send's content cache: an edit of the sent message may have changed the link
    const message = await s.messages.get(scope, payload.messageId);
    const url = message?.variants[payload.variant]?.links[payload.button]?.url;
    if (!url) return refuse(res, 404, 'link_gone', 'This message or its link no longer exists.');
    try {
      await interactions.click(scope, payload.messageId, payload.recipientKey, payload.button);
    } catch (err) {
      logger.warn({ err, messageId: payload.messageId }, 'click not recorded'); // the person still gets where they wanted to go
    }
    res.redirect(302, url);
  });
}
