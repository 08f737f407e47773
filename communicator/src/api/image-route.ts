import type { Response, Router } from 'express';
import type { Services } from '../services.js';
import { param } from './scope.js';

function refuse(res: Response, status: number, code: string, message: string) {
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json({ error: { status, code, message, requestId: res.locals.requestId } });
}

/**
 * GET /img/:token — a gallery image for cards and previews. No sign-in (Teams fetches card images itself);
 * the signed token names the tenant, image and version, so a URL's bytes never change and may be cached
 * for a year: an edit makes a new version with a new URL. A forged or altered token gets 400.
 */
export function imageRoute(router: Router, s: Services) {
  router.get('/img/:token', async (req, res) => {
    const payload = s.imageTokens.verify(param(req.params.token));
    if (!payload) return refuse(res, 400, 'invalid_image_link', 'This image link is not valid.');
    const image = await s.gallery.readPixels({ tenantId: payload.tenantId }, payload.imageId, payload.version, payload.size);
    if (!image) return refuse(res, 404, 'image_gone', 'This image no longer exists.');
    res.setHeader('Content-Type', image.contentType);
    res.setHeader('Content-Length', String(image.data.length));
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', image.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // the bytes are always a re-encoded PNG, JPEG or GIF; this keeps them inert even if opened as a page
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.headers['if-none-match'] === image.etag) return void res.status(304).end();
    res.end(image.data);
  });
}
